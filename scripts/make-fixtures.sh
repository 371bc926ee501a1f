#!/usr/bin/env bash
# Makes the test key material in src/testing/fixtures.ts, once, with OpenSSL.
# These keys are public test fixtures: never use them for anything real.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gen() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/$1.key" 2>/dev/null; }
cert() { # name serial cn
  openssl req -new -x509 -key "$tmp/$1.key" -out "$tmp/$1.crt" -days 7300 -set_serial "0x$2" \
    -subj "/C=CN/O=Tenpay.com/OU=Tenpay.com CA Center/CN=$3" -sha256 2>/dev/null
}
gen merchant; gen wechatpayPublicKey; gen platform1; gen platform2; gen stranger; gen platform3
openssl rsa -in "$tmp/merchant.key" -traditional -out "$tmp/merchant.pkcs1" 2>/dev/null
openssl pkey -in "$tmp/merchant.key" -pubout -out "$tmp/merchant.pub"
openssl pkey -in "$tmp/wechatpayPublicKey.key" -pubout -out "$tmp/wechatpayPublicKey.pub"
openssl pkey -in "$tmp/stranger.key" -pubout -out "$tmp/stranger.pub"
cert platform1 3A1B2C3D4E5F60718293A4B5C6D7E8F901234567 "Tenpay.com sandbox platform 1"
cert platform2 6F5E4D3C2B1A09F8E7D6C5B4A392817060504030 "Tenpay.com sandbox platform 2"
cert platform3 1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F70819203 "Tenpay.com sandbox platform 3"
q() { printf '`%s`' "$(cat "$1")"; }
{
  echo '/**'
  echo ' * Test key material made by scripts/make-fixtures.sh with OpenSSL. Public: never use it for anything real.'
  echo ' *'
  echo ' * @since 0.1.0'
  echo ' */'
  echo ''
  echo '/** The merchant API key pair (PKCS#8 and PKCS#1 forms of one key). @since 0.1.0 */'
  echo "export const merchantPrivateKeyPkcs8 = $(q "$tmp/merchant.key")"
  echo "export const merchantPrivateKeyPkcs1 = $(q "$tmp/merchant.pkcs1")"
  echo "export const merchantPublicKey = $(q "$tmp/merchant.pub")"
  echo "export const merchantSerialNo = \"5157F09EFDC096DE15EBE81A47057A7232F1B8E1\""
  echo "export const mchid = \"1900000001\""
  echo ''
  echo '/** The WeChat Pay public key (public-key mode) and the private half the sandbox signs with. @since 0.1.0 */'
  echo "export const wechatpayPublicKeyId = \"PUB_KEY_ID_0119000000012026112200000000000001\""
  echo "export const wechatpayPublicKey = $(q "$tmp/wechatpayPublicKey.pub")"
  echo "export const wechatpayPrivateKey = $(q "$tmp/wechatpayPublicKey.key")"
  echo ''
  echo '/** Two platform certificates (certificate mode, rotation) with their private keys. @since 0.1.0 */'
  echo "export const platformCertificate1 = $(q "$tmp/platform1.crt")"
  echo "export const platformPrivateKey1 = $(q "$tmp/platform1.key")"
  echo "export const platformSerialNo1 = \"3A1B2C3D4E5F60718293A4B5C6D7E8F901234567\""
  echo "export const platformCertificate2 = $(q "$tmp/platform2.crt")"
  echo "export const platformPrivateKey2 = $(q "$tmp/platform2.key")"
  echo "export const platformSerialNo2 = \"6F5E4D3C2B1A09F8E7D6C5B4A392817060504030\""
  echo ''
  echo '/** A key nobody trusts: answers signed with it must be rejected. @since 0.1.0 */'
  echo "export const strangerPrivateKey = $(q "$tmp/stranger.key")"
  echo "export const strangerPublicKey = $(q "$tmp/stranger.pub")"
  echo ''
  echo '/** A 32-byte APIv3 key for tests. @since 0.1.0 */'
  echo "export const apiV3Key = \"$(openssl rand -hex 16)\""
  echo ''
  echo '/** A third platform certificate with its private key: the one the sandbox rotates to (`rotatePlatformCertificate`). @since 0.1.0 */'
  echo "export const platformCertificate3 = $(q "$tmp/platform3.crt")"
  echo "export const platformPrivateKey3 = $(q "$tmp/platform3.key")"
  echo "export const platformSerialNo3 = \"1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F70819203\""
} > src/testing/fixtures.ts
