//! The CSV reader: one file per table, the header naming the contract's fields, read with
//! `csv-core` (the parser of BurntSushi's rust-csv) inside the core.
//!
//! Quoted fields (with doubled quotes and line breaks inside), CRLF or LF line ends and a
//! UTF-8 byte order mark are understood; blank lines are skipped; an empty cell is an absent
//! field; unknown columns are ignored; `snoozes.kinds` is `|`-separated. A line with the wrong
//! number of cells, or a cell that is not UTF-8, is one rejected row naming its line; a row's
//! bad value is rejected like a JSON row's, with its line and column. A header without a
//! required column, or naming a column twice, makes the table unreadable (an error).
//!
//! Most lines of an export hold no quote: such a *plain* line (no `"`, no carriage return but
//! one before its line feed) is split at its commas here, and its cells are borrowed from the
//! input when the input is valid UTF-8; csv-core reads every other record. A test compares the
//! two on random inputs: the rows and rejections are the same.

use super::records::Table;
use super::row::{fields, slot, At, Row, Sink, Val, MAX_FIELDS};
use crate::error::{Error, Reason};
use csv_core::{ReadRecordResult, Reader};
use std::borrow::Cow;

/// The columns a table's header must have.
pub fn required(t: Table) -> &'static [&'static str] {
    match t {
        Table::Customers => &["id"],
        Table::Orders => &["id", "customerId", "at", "amount"],
        Table::Contacts => &["id", "customerId", "at", "direction", "channel"],
        Table::Complaints => &["id", "customerId", "openedAt", "severity"],
        Table::Promises => &["id", "customerId", "madeAt", "dueAt"],
        Table::Feedback => &["id", "customerId", "at", "kind", "score"],
        Table::Deliveries => &["id", "customerId", "promisedAt"],
        Table::Snoozes => &["customerId", "until", "reason"],
    }
}

struct Records<'a> {
    input: &'a [u8],
    pos: usize,
    line: u32,
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The last record's text length and cell count.
    cells: (usize, usize),
    /// Whether the last record ended inside a quoted cell (at the end of the input).
    unterminated: bool,
    /// Whether plain lines are split here (else csv-core reads every record).
    fast: bool,
    /// The last record was a plain line: its cells are these ranges of the input.
    plain: bool,
    spans: Vec<(usize, usize)>,
}

impl Records<'_> {
    /// The next record: its first line, the cells' text and their ends.
    fn next(&mut self) -> Option<u32> {
        // Blank lines before a record are skipped here, so the record's line is known.
        while let Some(c) = self.input.get(self.pos) {
            match c {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        let start = self.pos;
        let line = self.line;
        self.plain = false;
        if self.fast && start < self.input.len() && self.plain_line() {
            return Some(line);
        }
        let (mut outlen, mut endlen) = (0usize, 0usize);
        loop {
            let (res, nin, nout, nend) =
                self.rdr.read_record(&self.input[self.pos..], &mut self.out[outlen..], &mut self.ends[endlen..]);
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if self.pos >= self.input.len() {
                        // Signal the end of the input: the last record may lack a line end.
                        let (res, _, nout, nend) = self.rdr.read_record(&[], &mut self.out[outlen..], &mut self.ends[endlen..]);
                        outlen += nout;
                        endlen += nend;
                        if res == ReadRecordResult::Record {
                            self.finish(start, outlen, endlen);
                            return Some(line);
                        }
                        if res == ReadRecordResult::OutputFull || res == ReadRecordResult::OutputEndsFull {
                            self.grow(res);
                            continue;
                        }
                        return None;
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => self.grow(res),
                ReadRecordResult::Record => {
                    self.finish(start, outlen, endlen);
                    return Some(line);
                }
                ReadRecordResult::End => return None,
            }
        }
    }

    /// The record at `pos` when it is a plain line: its cells' ranges into `spans`, the line
    /// consumed with its line feed. False, nothing consumed, when it holds a quote or a carriage
    /// return that does not end it.
    fn plain_line(&mut self) -> bool {
        let rest = &self.input[self.pos..];
        self.spans.clear();
        let mut from = 0;
        let mut end = rest.len();
        for (k, c) in rest.iter().enumerate() {
            match c {
                b',' => {
                    self.spans.push((self.pos + from, self.pos + k));
                    from = k + 1;
                }
                b'\n' => {
                    end = k;
                    break;
                }
                b'"' => return false,
                b'\r' if rest.get(k + 1) != Some(&b'\n') => return false,
                _ => {}
            }
        }
        let cell_end = if end > from && rest[end - 1] == b'\r' { end - 1 } else { end };
        self.spans.push((self.pos + from, self.pos + cell_end));
        self.pos += end;
        if self.pos < self.input.len() {
            self.pos += 1;
            self.line += 1;
        }
        self.unterminated = false;
        self.plain = true;
        self.cells = (0, self.spans.len());
        true
    }

    /// The cells of the last record, each with where it starts in the input when it is a plain
    /// line's.
    fn cells(&self) -> impl Iterator<Item = (&[u8], Option<usize>)> {
        let (plain, ends) = if self.plain { (&self.spans[..], &[][..]) } else { (&[][..], &self.ends[..self.cells.1]) };
        let (out, input) = (&self.out[..], self.input);
        let copied = ends.iter().enumerate().map(move |(k, e)| {
            let from = if k == 0 { 0 } else { ends[k - 1] };
            (out.get(from..*e).unwrap_or(&[]), None)
        });
        plain.iter().map(move |(a, b)| (input.get(*a..*b).unwrap_or(&[]), Some(*a))).chain(copied)
    }

    fn grow(&mut self, res: ReadRecordResult) {
        if res == ReadRecordResult::OutputFull {
            let n = self.out.len().max(64) * 2;
            self.out.resize(n, 0);
        } else {
            let n = self.ends.len().max(8) * 2;
            self.ends.resize(n, 0);
        }
    }

    fn finish(&mut self, start: usize, outlen: usize, endlen: usize) {
        let raw = &self.input[start..self.pos];
        // Quotes come in pairs (around a cell, and doubled inside one): an odd count means the
        // input ended inside a quoted cell.
        let (mut lines, mut quotes) = (0u32, 0u32);
        for c in raw {
            lines += u32::from(*c == b'\n');
            quotes += u32::from(*c == b'"');
        }
        self.line += lines;
        self.unterminated = quotes % 2 == 1;
        self.cells = (outlen, endlen);
    }
}

/// Rows per batch handed to the sink.
const BATCH: usize = 64;

/// Rows read but not yet handed over: their non-empty cells, each with its slot and its range
/// in `text` (the cells copied one after another) or, for plain lines of an input that is all
/// UTF-8, in the input.
#[derive(Default)]
struct Batch {
    text: Vec<u8>,
    spans: Vec<Span>,
    rows: Vec<(At, u32, u32)>,
}

/// A cell of a batch.
#[derive(Clone, Copy)]
struct Span {
    slot: u8,
    /// In the input (else in the batch's text).
    input: bool,
    from: usize,
    to: usize,
}

impl Batch {
    /// Hand the rows over, in order: one UTF-8 check for the batch's copied text, cell by cell
    /// only when it fails (a row with a cell that is not UTF-8 is rejected naming its field).
    /// `input`: the whole input, when it is valid UTF-8 (the only kind a span points into).
    fn flush(&mut self, t: Table, sink: &mut dyn Sink, input: Option<&str>) {
        let all = std::str::from_utf8(&self.text).ok();
        let mut rows: Vec<(At, Row)> = Vec::with_capacity(self.rows.len());
        for (at, a, b) in &self.rows {
            let mut row = Row::default();
            let mut bad = None;
            for c in &self.spans[*a as usize..*b as usize] {
                let (s, r) = (c.slot as usize, c.from..c.to);
                let Some(cell) = (match (c.input, all) {
                    (true, _) => input.and_then(|text| text.get(r)),
                    (false, Some(text)) => text.get(r),
                    (false, None) => std::str::from_utf8(&self.text[r]).ok(),
                }) else {
                    bad = Some(s);
                    break;
                };
                row.vals[s] = if t == Table::Snoozes && fields(t)[s] == "kinds" {
                    Val::Array(cell.split('|').map(str::trim).filter(|k| !k.is_empty()).map(|k| Val::Str(Cow::Owned(k.to_owned()))).collect())
                } else {
                    Val::Str(Cow::Borrowed(cell))
                };
            }
            if let Some(s) = bad {
                sink.rows(t, &rows);
                rows.clear();
                let id = self.spans[*a as usize..*b as usize].iter().find(|c| c.slot == 0 && !c.input);
                let id = id.and_then(|c| std::str::from_utf8(&self.text[c.from..c.to]).ok()).map(str::to_owned);
                sink.broken(t, *at, id, fields(t).get(s).copied(), Reason::NotUtf8);
            } else {
                rows.push((*at, row));
            }
        }
        sink.rows(t, &rows);
        drop(rows);
        self.text.clear();
        self.spans.clear();
        self.rows.clear();
    }
}

/// Read one table's CSV into a sink; returns the rows read. `path` names the file in errors
/// (e.g. `csv.orders`).
pub fn read_table(t: Table, bytes: &[u8], path: &str, sink: &mut dyn Sink) -> Result<usize, Error> {
    read(t, bytes, path, sink, true)
}

// `fast`: plain lines are split here (false: csv-core reads every record; a test compares).
fn read(t: Table, bytes: &[u8], path: &str, sink: &mut dyn Sink, fast: bool) -> Result<usize, Error> {
    let mut r = Records {
        input: bytes,
        pos: 0,
        line: 1,
        rdr: Reader::new(),
        out: vec![0; 4096],
        ends: vec![0; 32],
        cells: (0, 0),
        unterminated: false,
        fast: false,
        plain: false,
        spans: Vec::new(),
    };
    // A UTF-8 byte order mark is not part of the first column's name.
    if r.input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.pos = 3;
    }
    if r.next().is_none() {
        return Err(Error::input(path, "the file is empty: a header row naming the columns is needed"));
    }
    let header: Vec<String> = r.cells().map(|(c, _)| String::from_utf8_lossy(c).trim().to_owned()).collect();
    r.fast = fast;
    // The cells of plain lines are borrowed from the input when all of it is UTF-8.
    let whole = std::str::from_utf8(bytes).ok();
    let mut columns = [None; MAX_FIELDS];
    let mut slots: Vec<Option<usize>> = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let s = slot(t, h.as_bytes());
        if let Some(s) = s {
            if columns[s].is_some() {
                return Err(Error::input(path, format!("the header names the column `{h}` twice")));
            }
            columns[s] = Some(i as u32 + 1);
        }
        slots.push(s);
    }
    let missing: Vec<&str> = required(t).iter().copied().filter(|f| !header.iter().any(|h| h == f)).collect();
    if !missing.is_empty() {
        let list = |v: &[&str]| format!("`{}`", v.join("`, `"));
        let table = t.as_str();
        let article = if table.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        return Err(Error::input(
            path,
            format!(
                "the header (line 1) has no {} column{} ({article} {table} file needs {}; it may have {})",
                list(&missing),
                if missing.len() > 1 { "s" } else { "" },
                list(required(t)),
                list(fields(t))
            ),
        ));
    }
    sink.columns(columns);
    let mut index = 0usize;
    let id_slot = slots.iter().position(|s| *s == Some(0));
    let mut batch = Batch::default();
    while let Some(line) = r.next() {
        let at = At { index, line: Some(line) };
        index += 1;
        let n = r.cells.1;
        if r.unterminated || n != header.len() {
            // A broken row still names itself, when its id cell can be read; rows keep their order.
            batch.flush(t, sink, whole);
            let id = id_slot.and_then(|k| r.cells().nth(k)).and_then(|(c, _)| std::str::from_utf8(c).ok()).filter(|s| !s.is_empty()).map(str::to_owned);
            let reason = if r.unterminated { Reason::Unterminated } else { Reason::Cells { got: n, expected: header.len() } };
            sink.broken(t, at, id, None, reason);
            continue;
        }
        let from = batch.spans.len();
        for ((cell, start), s) in r.cells().zip(&slots) {
            if let (Some(s), false) = (*s, cell.is_empty()) {
                let span = match (start, whole) {
                    (Some(a), Some(_)) => Span { slot: s as u8, input: true, from: a, to: a + cell.len() },
                    _ => {
                        let a = batch.text.len();
                        batch.text.extend_from_slice(cell);
                        Span { slot: s as u8, input: false, from: a, to: batch.text.len() }
                    }
                };
                batch.spans.push(span);
            }
        }
        batch.rows.push((at, from as u32, batch.spans.len() as u32));
        if batch.rows.len() == BATCH || batch.text.len() > 1 << 16 {
            batch.flush(t, sink, whole);
        }
    }
    batch.flush(t, sink, whole);
    sink.table_end(t);
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a reader hands over, in order: `row <line> <id> <name>` or `broken <line> <id> <field> <reason>`.
    #[derive(Default)]
    struct Log(Vec<String>);

    impl Sink for Log {
        fn row(&mut self, _: Table, at: At, row: &Row<'_>) {
            let s = |v: &Val| match v {
                Val::Str(s) => s.to_string(),
                Val::Absent => "-".into(),
                v => v.quoted(),
            };
            self.0.push(format!("row {} {} {}", at.line.unwrap_or(0), s(row.get(0)), s(row.get(1))));
        }
        fn other(&mut self, _: Table, _: At, _: &Val<'_>) {
            unreachable!("CSV has no non-object rows")
        }
        fn broken(&mut self, _: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: Reason) {
            self.0.push(format!("broken {} {} {} {:?}", at.line.unwrap_or(0), id.as_deref().unwrap_or("-"), field.unwrap_or("-"), reason));
        }
        fn table_end(&mut self, _: Table) {}
        fn reset(&mut self) {}
    }

    #[test]
    fn rows_come_in_order_across_batches_with_broken_rows_between() {
        // 200 rows (3 batches and a bit); a bad cell count at 70 (still naming its id), an unterminated quote at the end,
        // a cell that is not UTF-8 at 130 (its batch falls back to cell by cell).
        let mut bytes = b"name,id\n".to_vec();
        let mut want = Vec::new();
        for i in 0..200u32 {
            let line = i + 2;
            match i {
                70 => {
                    bytes.extend_from_slice(b"extra,c70,cell\n");
                    want.push(format!("broken {line} c70 - Cells {{ got: 3, expected: 2 }}"));
                }
                130 => {
                    bytes.extend_from_slice(b"N\xff,c130\n");
                    want.push(format!("broken {line} c130 name NotUtf8"));
                }
                199 => {
                    bytes.extend_from_slice(b"\"open,c199\n");
                    want.push(format!("broken {line} - - Unterminated"));
                }
                _ => {
                    let name = if i % 7 == 0 { String::new() } else { format!("Näme {i}") };
                    bytes.extend_from_slice(format!("{name},c{i}\n").as_bytes());
                    want.push(format!("row {line} c{i} {}", if name.is_empty() { "-" } else { &name }));
                }
            }
        }
        let mut log = Log::default();
        let n = read_table(Table::Customers, &bytes, "csv.customers", &mut log).unwrap();
        assert_eq!(n, 200);
        assert_eq!(log.0, want);
    }

    fn both(bytes: &[u8]) -> [(Result<usize, String>, Vec<String>); 2] {
        [true, false].map(|fast| {
            let mut log = Log::default();
            let n = read(Table::Customers, bytes, "csv.customers", &mut log, fast).map_err(|e| e.to_string());
            (n, log.0)
        })
    }

    #[test]
    fn plain_lines_read_as_csv_core_reads_them() {
        // Plain lines, CRLF, a last line without its line feed, blank lines, quotes with commas,
        // doubled quotes and line breaks inside, a lone carriage return, wrong cell counts.
        let text = "id,name,owner\r\nc1,Ann,A\r\n\r\nc2,\"B, \"\"Bee\"\"\",B\nc3,\"two\nlines\",C\nc4,x\rc5,y,z\n,,\nc6, spaced ,\nc7,Last,L";
        let [fast, slow] = both(text.as_bytes());
        assert_eq!(fast, slow);
        assert!(fast.1.iter().any(|l| l == "row 2 c1 Ann") && fast.1.iter().any(|l| l == "row 10 c7 Last"), "{:?}", fast.1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn plain_lines_read_as_csv_core_reads_them_on_random_input(cells in proptest::collection::vec(0u8..12, 0..160)) {
            let mut bytes = b"name,id,owner\n".to_vec();
            for c in cells {
                bytes.extend_from_slice(match c {
                    0 => b"a", 1 => b"b7", 2 => "é".as_bytes(), 3 => b",", 4 => b",", 5 => b"\"", 6 => b"\r",
                    7 => b"\n", 8 => b"\n", 9 => b"\r\n", 10 => b" ", _ => b"\xff",
                });
            }
            let [fast, slow] = both(&bytes);
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
