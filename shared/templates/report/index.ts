export { reportToJson } from './json.js';
export { reportToCsv, csvCell, type CsvCell } from './csv.js';
export { reportToHtml, type ReportHtmlOptions } from './html.js';
export { barChartSvg, barWidths, type BarChartOptions, type BarRow } from './svg.js';
