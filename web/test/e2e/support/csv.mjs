// CSV as RFC 4180 says (CRLF line ends, quoted fields with doubled quotes): the open data
// downloads are parsed strictly, so a file that a spreadsheet would misread fails the test.
/** The rows of `text`; throws on anything RFC 4180 does not allow. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside a field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CR without LF at ${i}`);
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      if (c === '\n') throw new Error(`bare LF at ${i}`);
      field += c;
      i++;
    }
  }
  if (quoted || field !== '' || row.length) throw new Error('the last line does not end in CRLF');
  return rows;
}

/** The rows of `text` as objects keyed by the header line's names. */
export function csvRecords(text) {
  const [head, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(head.map((name, i) => [name, r[i]])));
}
