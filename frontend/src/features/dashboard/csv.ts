// A small CSV splitter for showing an import file in the preview table. The
// server is the judge of what is valid; this only splits cells the way the
// server does (BOM, ";" "," or tab detected from the header, quotes).

export interface CsvTable {
  header: string[];
  /** Data rows with their spreadsheet row number (the header is row 1). */
  rows: { row: number; cells: string[] }[];
}

function detectDelimiter(headerLine: string): string {
  const counts = [';', ',', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  const best = counts[0];
  return best && best.n > 0 ? best.d : ';';
}

/** Splits text into records; returns each with its starting line number (1-based). */
function records(text: string, delim: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delim) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n') {
      cells.push(cell);
      out.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else {
      cell += c;
    }
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    out.push({ line: start, cells });
  }
  return out;
}

export function parseCsvForPreview(input: string, maxRows = 500): CsvTable {
  const text = input.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const delim = detectDelimiter(firstLine);
  const all = records(text, delim)
    .map((r) => ({ line: r.line, cells: r.cells.map((c) => c.replace(/[\u00a0\ufeff]/g, '').trim()) }))
    .filter((r) => r.cells.some((c) => c !== ''));
  const [head, ...rest] = all;
  return { header: head?.cells ?? [], rows: rest.slice(0, maxRows).map((r) => ({ row: r.line, cells: r.cells })) };
}

/** Reads a File as text (UTF-8), also where Blob.text() is missing. */
export function readFileText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}
