/**
 * The chart of BENCHMARKS.md, as a self-contained SVG (no dependency): end-to-end throughput by
 * client at each concurrency (grouped bars; the current build only: the baseline's figures are in
 * the tables), and signing throughput against the WebCrypto floor.
 */
import type { E2EResult } from "./e2e.js"
import type { SigningResult } from "./signing.js"

const COLORS = [
  "#1f77b4",
  "#aec7e8",
  "#17becf",
  "#9edae5",
  "#ff7f0e",
  "#ffbb78",
  "#d62728",
  "#7f7f7f",
  "#2ca02c",
  "#98df8a",
  "#9467bd",
  "#c5b0d5"
]

const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

const niceMax = (value: number): number => {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude
  return 10 * magnitude
}

/** The SVG text. */
export const chart = (e2e: E2EResult, signing: SigningResult): string => {
  const width = 900
  const out: Array<string> = []
  const clients = [...new Set(e2e.summaries.map((s) => s.client))].filter((c) => !c.includes("@baseline"))
  const concurrencies = [...new Set(e2e.summaries.map((s) => s.concurrency))]

  // panel 1: end to end
  const top = 60
  const height = 300
  const left = 70
  const plotWidth = width - left - 20
  const max = niceMax(Math.max(...e2e.summaries.filter((s) => clients.includes(s.client)).map((s) => s.qps)))
  out.push(
    `<text x="${left}" y="28" font-size="16" font-weight="bold">End to end: queries per second (median of ${e2e.rounds} rounds), by concurrency</text>`
  )
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i
    const y = top + height - (height * i) / 4
    out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${y}" y2="${y}" stroke="#ddd"/>`)
    out.push(`<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${value.toFixed(0)}</text>`)
  }
  const groupWidth = plotWidth / concurrencies.length
  const barWidth = (groupWidth * 0.8) / clients.length
  concurrencies.forEach((concurrency, g) => {
    const x0 = left + g * groupWidth + groupWidth * 0.1
    clients.forEach((client, c) => {
      const summary = e2e.summaries.find((s) => s.client === client && s.concurrency === concurrency)
      if (summary === undefined) return
      const h = (height * summary.qps) / max
      const x = x0 + c * barWidth
      out.push(
        `<rect x="${x.toFixed(1)}" y="${(top + height - h).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${
          h.toFixed(1)
        }" fill="${COLORS[c % COLORS.length]}"><title>${escape(client)} c=${concurrency}: ${
          summary.qps.toFixed(0)
        } q/s</title></rect>`
      )
      // the figure above its bar where it fits (the bar's tooltip has it anyway)
      if (barWidth >= 18) {
        out.push(
          `<text x="${(x + barWidth / 2).toFixed(1)}" y="${
            (top + height - h - 3).toFixed(1)
          }" font-size="9" text-anchor="middle">${summary.qps.toFixed(0)}</text>`
        )
      }
    })
    out.push(
      `<text x="${left + g * groupWidth + groupWidth / 2}" y="${
        top + height + 18
      }" font-size="12" text-anchor="middle">concurrency ${concurrency}</text>`
    )
  })
  clients.forEach((client, c) => {
    const x = 20 + (c % 2) * 440
    const y = top + height + 40 + Math.floor(c / 2) * 18
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[c % COLORS.length]}"/>`)
    out.push(`<text x="${x + 18}" y="${y}" font-size="12">${escape(client)}</text>`)
  })

  // panel 2: signing
  const legendRows = Math.ceil(clients.length / 2)
  const top2 = top + height + 56 + legendRows * 18
  const rowHeight = 24
  const sMax = niceMax(Math.max(...signing.figures.map((f) => f.perSecond)))
  const labelWidth = 300
  const barSpace = width - labelWidth - 90
  out.push(
    `<text x="${left}" y="${
      top2 - 14
    }" font-size="16" font-weight="bold">Signing: Authorization headers (or signatures) per second</text>`
  )
  signing.figures.forEach((figure, i) => {
    const y = top2 + i * rowHeight
    const w = (barSpace * figure.perSecond) / sMax
    out.push(`<text x="${labelWidth - 8}" y="${y + 15}" font-size="12" text-anchor="end">${escape(figure.name)}</text>`)
    out.push(
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${
        figure.kind === "floor" ? "#7f7f7f" : figure.kind === "library" ? "#1f77b4" : "#ff7f0e"
      }"/>`
    )
    out.push(
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}" font-size="11">${figure.perSecond.toFixed(0)}/s (${
        figure.ratioToFloor.toFixed(2)
      }x)</text>`
    )
  })
  const totalHeight = top2 + signing.figures.length * rowHeight + 20
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${totalHeight}" viewBox="0 0 ${width} ${totalHeight}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${out.join("\n")}
</svg>
`
}
