/**
 * The executive report as a PDF (pdfkit): a cover, the key figures in business words with the risk
 * distribution and churn by segment drawn as vector charts, the 20 riskiest active customers with
 * reasons and actions, the chosen campaign plan, and a one-page model card. Pure: data in, bytes
 * out, so it is tested by parsing its output.
 *
 * Text uses the PDF standard fonts (Helvetica: nothing to embed or load at run time), whose
 * WinAnsi encoding lacks some characters: pdfText() replaces the ones we produce, and money whose
 * symbol it cannot show is written with its ISO code.
 */
import PDFDocument from "pdfkit";
import { formatMoney } from "@/lib/format/money";
import type { ReportData } from "./report-data";

const ACCENT = "#3B82F6";
const TEXT = "#111827";
const MUTED = "#6B7280";
const GRID = "#E5E7EB";
const DANGER = "#DC2626";
const WARNING = "#D97706";
const SUCCESS = "#16A34A";
const MARGIN = 54;

/** Characters outside WinAnsi that our own wording uses, and a safe fallback for anything else. */
const REPLACEMENTS: [RegExp, string][] = [
  [/[\u2212]/g, "-"],
  [/[\u2264]/g, "<="],
  [/[\u2265]/g, ">="],
  [/[\u2192]/g, "->"],
  [/[\u00a0\u202f\u2009]/g, " "],
  [/[\u2190-\u21ff\u2200-\u22ff]/g, "?"],
];
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

export function pdfText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return [...out].map((c) => (c.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRA.has(c) ? c : "?")).join("");
}

function money(value: number | null, currency: string, compact = false): string {
  const symbol = formatMoney(value, currency, { compact });
  const encodable = [...symbol].every((c) => c.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRA.has(c));
  return pdfText(encodable ? symbol : formatMoney(value, currency, { compact, currencyDisplay: "code" }));
}

const percent = (v: number | null, digits = 1) => (v === null ? "-" : `${(v * 100).toFixed(digits)} %`);
const int = (v: number) => v.toLocaleString("en-US");
const date = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

const ALGORITHMS: Record<string, string> = {
  logistic_regression: "Logistic regression",
  random_forest: "Random forest",
  gradient_boosting: "Gradient boosting",
  svm: "Support vector machine",
  blend: "Blend of the two best models",
};

type Doc = PDFKit.PDFDocument;
type CampaignTarget = NonNullable<ReportData["campaign"]>["targets"][number];

function heading(doc: Doc, text: string, subtitle?: string) {
  doc.font("Helvetica-Bold").fontSize(18).fillColor(TEXT).text(pdfText(text), MARGIN, MARGIN);
  if (subtitle) doc.moveDown(0.2).font("Helvetica").fontSize(10).fillColor(MUTED).text(pdfText(subtitle));
  doc.moveDown(0.8);
}

function sectionTitle(doc: Doc, text: string) {
  doc.moveDown(0.6).font("Helvetica-Bold").fontSize(12).fillColor(TEXT).text(pdfText(text), MARGIN);
  doc.moveDown(0.3);
}

function body(doc: Doc, text: string, options: PDFKit.Mixins.TextOptions = {}) {
  doc.font("Helvetica").fontSize(10).fillColor(TEXT).text(pdfText(text), options);
}

/** A row of figure boxes: big number, label under it. */
function figureBoxes(doc: Doc, figures: { value: string; label: string }[], top: number): number {
  const width = doc.page.width - 2 * MARGIN;
  const gap = 10;
  const perRow = 2;
  const boxWidth = (width - gap * (perRow - 1)) / perRow;
  const boxHeight = 62;
  figures.forEach((f, i) => {
    const x = MARGIN + (i % perRow) * (boxWidth + gap);
    const y = top + Math.floor(i / perRow) * (boxHeight + gap);
    doc.roundedRect(x, y, boxWidth, boxHeight, 6).lineWidth(0.8).strokeColor(GRID).stroke();
    doc
      .font("Helvetica-Bold")
      .fontSize(16)
      .fillColor(ACCENT)
      .text(pdfText(f.value), x + 10, y + 10, {
        width: boxWidth - 20,
        lineBreak: false,
      });
    doc
      .font("Helvetica")
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(pdfText(f.label), x + 10, y + 33, { width: boxWidth - 20 });
  });
  const bottom = top + Math.ceil(figures.length / perRow) * (boxHeight + gap);
  doc.x = MARGIN;
  doc.y = bottom;
  return bottom;
}

/** Vertical bars: active customers per 10-point risk band, coloured by risk level. */
function riskDistributionChart(doc: Doc, data: ReportData, top: number): number {
  const width = doc.page.width - 2 * MARGIN;
  const height = 140;
  const counts = data.riskDistribution;
  const max = Math.max(1, ...counts);
  const plotLeft = MARGIN + 36;
  const plotWidth = width - 36;
  const barGap = 6;
  const barWidth = (plotWidth - barGap * (counts.length - 1)) / counts.length;
  const bands = data.riskBands ?? { medium: 0.3, high: 0.6 };
  doc.lineWidth(0.5).strokeColor(GRID);
  for (let k = 0; k <= 4; k++) {
    const y = top + height - (k / 4) * height;
    doc
      .moveTo(plotLeft, y)
      .lineTo(plotLeft + plotWidth, y)
      .stroke();
    doc
      .font("Helvetica")
      .fontSize(7)
      .fillColor(MUTED)
      .text(int(Math.round((max * k) / 4)), MARGIN, y - 4, { width: 32, align: "right" });
  }
  counts.forEach((n, i) => {
    const h = (n / max) * height;
    const x = plotLeft + i * (barWidth + barGap);
    // Coloured by the level of the band's middle (the risk-band settings need not fall on tens).
    const middle = i / 10 + 0.05;
    const color = middle >= bands.high ? DANGER : middle >= bands.medium ? WARNING : SUCCESS;
    if (h > 0)
      doc
        .rect(x, top + height - h, barWidth, h)
        .fillColor(color)
        .fill();
    doc
      .font("Helvetica")
      .fontSize(7)
      .fillColor(MUTED)
      .text(`${i * 10}-${(i + 1) * 10} %`, x - 4, top + height + 4, { width: barWidth + 8, align: "center" });
  });
  doc
    .font("Helvetica")
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      "Churn risk of active customers (number of customers per 10-point band)",
      MARGIN,
      top + height + 18,
      {
        width,
        align: "center",
      },
    );
  return top + height + 34;
}

/** Horizontal bars: observed churn rate per segment, with active customers named. */
function segmentChart(doc: Doc, data: ReportData, top: number): number {
  const segment = data.segment;
  if (!segment || segment.rows.length === 0) return top;
  const width = doc.page.width - 2 * MARGIN;
  const labelWidth = 150;
  const barArea = width - labelWidth - 90;
  const rowHeight = 18;
  const max = Math.max(0.01, ...segment.rows.map((r) => r.observedChurnRate ?? 0));
  segment.rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    doc
      .font("Helvetica")
      .fontSize(8.5)
      .fillColor(TEXT)
      .text(pdfText(r.label), MARGIN, y + 3, { width: labelWidth - 8, lineBreak: false, ellipsis: true });
    const w = ((r.observedChurnRate ?? 0) / max) * barArea;
    doc
      .rect(MARGIN + labelWidth, y + 2, barArea, rowHeight - 6)
      .fillColor("#F3F4F6")
      .fill();
    if (w > 0)
      doc
        .rect(MARGIN + labelWidth, y + 2, w, rowHeight - 6)
        .fillColor(ACCENT)
        .fill();
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${percent(r.observedChurnRate)} · ${int(r.active)} active`,
        MARGIN + labelWidth + barArea + 6,
        y + 3,
        {
          width: 84,
          lineBreak: false,
        },
      );
  });
  const bottom = top + segment.rows.length * rowHeight;
  doc
    .font("Helvetica")
    .fontSize(8)
    .fillColor(MUTED)
    .text(pdfText(`Observed churn rate by ${segment.column}`), MARGIN, bottom + 4, {
      width,
      align: "center",
    });
  return bottom + 20;
}

interface Column<T> {
  title: string;
  width: number;
  align?: "left" | "right";
  value: (row: T) => string;
}

/** A table with wrapped cells, repeating its header on a new page when it runs out of room. */
function table<T>(doc: Doc, columns: Column<T>[], rows: T[], top: number): number {
  const fontSize = 7.5;
  const padding = 3;
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  const scale = (doc.page.width - 2 * MARGIN) / totalWidth;
  const widths = columns.map((c) => c.width * scale);
  const drawHeader = (y: number) => {
    let x = MARGIN;
    doc
      .rect(MARGIN, y, doc.page.width - 2 * MARGIN, 16)
      .fillColor("#F3F4F6")
      .fill();
    columns.forEach((c, i) => {
      doc
        .font("Helvetica-Bold")
        .fontSize(fontSize)
        .fillColor(TEXT)
        .text(pdfText(c.title), x + padding, y + 4, {
          width: widths[i] - 2 * padding,
          align: c.align ?? "left",
        });
      x += widths[i];
    });
    return y + 18;
  };
  let y = drawHeader(top);
  for (const row of rows) {
    doc.font("Helvetica").fontSize(fontSize);
    const texts = columns.map((c) => pdfText(c.value(row)));
    const height =
      Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: widths[i] - 2 * padding }))) +
      2 * padding;
    if (y + height > doc.page.height - MARGIN - 20) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    let x = MARGIN;
    texts.forEach((t, i) => {
      doc
        .font("Helvetica")
        .fontSize(fontSize)
        .fillColor(TEXT)
        .text(t, x + padding, y + padding, {
          width: widths[i] - 2 * padding,
          align: columns[i].align ?? "left",
        });
      x += widths[i];
    });
    y += height;
    doc
      .moveTo(MARGIN, y)
      .lineTo(doc.page.width - MARGIN, y)
      .lineWidth(0.4)
      .strokeColor(GRID)
      .stroke();
  }
  // Text after the table starts below it, at the left margin.
  doc.x = MARGIN;
  doc.y = y + 4;
  return y;
}

function coverPage(doc: Doc, data: ReportData) {
  doc.rect(0, 0, doc.page.width, 8).fillColor(ACCENT).fill();
  doc.font("Helvetica-Bold").fontSize(11).fillColor(ACCENT).text("ChurnGuard", MARGIN, 120);
  doc
    .moveDown(0.6)
    .font("Helvetica-Bold")
    .fontSize(28)
    .fillColor(TEXT)
    .text(pdfText(data.title), { width: 420 });
  doc
    .moveDown(0.5)
    .font("Helvetica")
    .fontSize(13)
    .fillColor(MUTED)
    .text(
      pdfText(
        `${data.dataset.name} (version ${data.dataset.version}, ${int(data.dataset.rowCount)} customers)`,
      ),
    );
  doc.moveDown(2.5);
  const lines: [string, string][] = [
    ["Date", date(data.generatedAt)],
    ["Prepared by", data.generatedBy],
    [
      "Churn model",
      `Model v${data.model.version} (${ALGORITHMS[data.model.algorithm] ?? data.model.algorithm})`,
    ],
    ["Money in", data.currency],
  ];
  for (const [label, value] of lines) {
    doc
      .font("Helvetica")
      .fontSize(10)
      .fillColor(MUTED)
      .text(pdfText(label), MARGIN, doc.y, { continued: false });
    doc.font("Helvetica-Bold").fontSize(12).fillColor(TEXT).text(pdfText(value));
    doc.moveDown(0.6);
  }
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      pdfText(
        "Active customers are those still with you; customers whose records say they already left are counted as lost, not at risk. Risks are the churn model's probabilities.",
      ),
      MARGIN,
      doc.page.height - MARGIN - 60,
      { width: doc.page.width - 2 * MARGIN },
    );
}

function overviewPage(doc: Doc, data: ReportData) {
  doc.addPage();
  heading(doc, "Where churn risk stands", "Key figures from the churn model's latest scores");
  const k = data.kpis;
  const figures = [
    { value: int(k.active), label: "active customers: still with you, and the ones a campaign can keep" },
    {
      value: int(k.lost),
      label: `customers already lost: ${percent(k.observedChurnRate)} of customers with a known outcome left`,
    },
    {
      value: int(k.highRisk),
      label: `active customers at high risk of leaving (average risk ${percent(k.meanRisk)})`,
    },
    {
      value: money(k.revenueAtRisk, data.currency),
      label:
        k.revenueAtRisk === null
          ? "monthly revenue at risk: needs a monthly charges column"
          : "monthly revenue at risk: each active customer's monthly charge times their risk",
    },
  ];
  if (k.medianLifetime !== null)
    figures.push({
      value: `${int(k.medianLifetime)} ${k.lifetimeUnit ?? ""}`.trim(),
      label: "median customer lifetime: half of customers have left by then",
    });
  let y = figureBoxes(doc, figures, doc.y);
  doc.y = y + 6;
  sectionTitle(doc, "How risky are active customers?");
  y = riskDistributionChart(doc, data, doc.y + 4);
  doc.y = y;
  if (data.segment) {
    sectionTitle(doc, `Where customers leave: churn by ${data.segment.column}`);
    y = segmentChart(doc, data, doc.y + 2);
    doc.y = y;
  }
}

function customersPage(doc: Doc, data: ReportData) {
  doc.addPage();
  heading(
    doc,
    `The ${data.topCustomers.length} riskiest active customers`,
    "Who to call first, why the model thinks they may leave, and what the retention playbook recommends",
  );
  if (data.topCustomers.length === 0) {
    body(doc, "No active customer was scored.");
    return;
  }
  table(
    doc,
    [
      { title: "#", width: 22, align: "right", value: (r: { i: number }) => String(r.i) },
      { title: "Customer", width: 70, value: (r) => r.c.externalId },
      { title: "Risk", width: 40, align: "right", value: (r) => percent(r.c.riskScore, 0) },
      { title: "Monthly", width: 55, align: "right", value: (r) => money(r.c.monthlyValue, data.currency) },
      { title: "Why", width: 200, value: (r) => r.c.reason },
      { title: "Recommended action", width: 150, value: (r) => r.c.action ?? "-" },
    ] as Column<{ i: number; c: ReportData["topCustomers"][number] }>[],
    data.topCustomers.map((c, i) => ({ i: i + 1, c })),
    doc.y,
  );
}

function campaignPage(doc: Doc, data: ReportData) {
  const c = data.campaign;
  if (!c) return;
  doc.addPage();
  heading(doc, `Campaign plan: ${c.name}`, "A saved retention plan and its expected result");
  const range = (low: number | null, high: number | null) =>
    low === null || high === null
      ? ""
      : ` (range ${money(low, data.currency)} to ${money(high, data.currency)})`;
  const y = figureBoxes(
    doc,
    [
      { value: int(c.targetCount), label: `customers to contact, of ${int(c.eligible)} active` },
      {
        value: money(c.cost, data.currency),
        label: `expected cost (${money(c.offerCost, data.currency)} per offer)`,
      },
      {
        value: money(c.savedValue, data.currency),
        label: `expected revenue kept${range(c.savedLower, c.savedUpper)}`,
      },
      {
        value: money(c.profit, data.currency),
        label: `expected net profit${range(c.profitLower, c.profitUpper)}`,
      },
    ],
    doc.y,
  );
  doc.y = y;
  body(
    doc,
    `Assumes ${percent(c.acceptanceRate, 0)} of would-be leavers accept the offer. Customer value: ${c.valueNote} Ranges reflect how closely the model's risks matched real churn on customers it never saw.`,
    { width: doc.page.width - 2 * MARGIN },
  );
  sectionTitle(doc, `First ${c.targets.length} customers to contact`);
  table(
    doc,
    [
      { title: "#", width: 30, align: "right", value: (t: CampaignTarget) => String(t.rank) },
      { title: "Customer", width: 120, value: (t) => t.externalId },
      { title: "Risk", width: 60, align: "right", value: (t) => percent(t.riskScore, 0) },
      { title: "Recommended action", width: 290, value: (t) => t.action ?? "-" },
    ],
    c.targets,
    doc.y,
  );
}

function modelCardPage(doc: Doc, data: ReportData) {
  const m = data.model;
  doc.addPage();
  heading(
    doc,
    "Model card",
    `Model v${m.version}: ${ALGORITHMS[m.algorithm] ?? m.algorithm}, trained ${date(m.trainedAt)}`,
  );
  body(doc, `Model quality: ${m.quality}.`, { width: doc.page.width - 2 * MARGIN });
  sectionTitle(doc, "What the figures mean");
  const rows: [string, string, string][] = [
    [
      "AUC",
      m.testAuc.toFixed(3),
      `How often the model ranks a customer who left above one who stayed: ${percent(m.testAuc, 0)} of pairs on held-out customers (0.5 is a coin toss, 1 is perfect).`,
    ],
    [
      "F1 (churn class)",
      m.f1Churn.toFixed(3),
      "The balance between finding leavers and not raising false alarms, for the customers who leave (1 is perfect).",
    ],
    [
      "Weighted F1",
      m.f1Weighted.toFixed(3),
      "The same balance averaged over leavers and stayers, weighted by how many there are of each.",
    ],
    [
      "Calibration",
      m.calibrationError === null ? "-" : `${(m.calibrationError * 100).toFixed(1)} pts`,
      "How far predicted risks were from the churn actually observed, on average: a 30 % risk should mean about 30 of 100 such customers leave.",
    ],
    [
      "Decision threshold",
      percent(m.threshold, 0),
      "Customers above this risk are counted as likely leavers in the F1 figures (chosen on training data only).",
    ],
  ];
  table(
    doc,
    [
      { title: "Figure", width: 90, value: (r: [string, string, string]) => r[0] },
      { title: "Value", width: 60, align: "right", value: (r) => r[1] },
      { title: "In one sentence", width: 350, value: (r) => r[2] },
    ],
    rows,
    doc.y,
  );
  sectionTitle(doc, "Training data");
  body(
    doc,
    `${int(m.trainingRows)} customers of ${data.dataset.name} (version ${data.dataset.version}) trained the model; ${int(m.testRows)} more were held out and never seen while learning: every figure above comes from them. Strongest drivers: ${m.topDrivers.join(", ") || "-"}.`,
    { width: doc.page.width - 2 * MARGIN },
  );
  sectionTitle(doc, "Known limits");
  const limits = [
    "It learns from the past: a new price, product or competitor can change who leaves before the model is retrained.",
    "Reasons are the drivers behind each score (what moved the risk), not proof of what causes customers to leave.",
    "Risks describe groups: of 100 customers at 30 % risk, about 30 leave; it cannot say which ones.",
    "Customers unlike those in the training data (new segments, missing values) get less reliable scores.",
    "Campaign figures assume the acceptance rate and customer values entered by the planner.",
  ];
  for (const l of limits) body(doc, `- ${l}`, { width: doc.page.width - 2 * MARGIN, paragraphGap: 3 });
}

function footers(doc: Doc, data: ReportData) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would add a page: lift the margin while the footer is written.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        pdfText(
          `ChurnGuard · ${data.dataset.name} · ${date(data.generatedAt)} · page ${i + 1} of ${range.count}`,
        ),
        MARGIN,
        doc.page.height - 36,
        { width: doc.page.width - 2 * MARGIN, align: "center", lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}

export async function renderReportPdf(data: ReportData): Promise<{ bytes: Uint8Array; pageCount: number }> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(`${data.title} - ${data.dataset.name}`),
      Author: pdfText(data.generatedBy),
      Creator: "ChurnGuard",
      CreationDate: new Date(data.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  coverPage(doc, data);
  overviewPage(doc, data);
  customersPage(doc, data);
  campaignPage(doc, data);
  modelCardPage(doc, data);
  footers(doc, data);
  const pageCount = doc.bufferedPageRange().count;
  doc.end();
  await done;
  const buffer = Buffer.concat(chunks);
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), pageCount };
}
