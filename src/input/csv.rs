//! The CSV reader: one file per table, the header naming the contract's fields, read with
//! `csv-core` (the parser of BurntSushi's rust-csv) inside the core.
//!
//! Quoted fields (with doubled quotes and line breaks inside), CRLF or LF line ends and a
//! UTF-8 byte order mark are understood; blank lines are skipped; an empty cell is an absent
//! field; unknown columns are ignored; `snoozes.kinds` is `|`-separated. A line with the wrong
//! number of cells, or a cell that is not UTF-8, is one rejected row naming its line; a row's
//! bad value is rejected like a JSON row's, with its line and column. A header without a
//! required column, or naming a column twice, makes the table unreadable (an error).

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

    /// The cells of the last record.
    fn cells(&self) -> impl Iterator<Item = &[u8]> {
        let ends = &self.ends[..self.cells.1];
        let out = &self.out[..self.cells.0];
        ends.iter().enumerate().map(move |(k, e)| {
            let from = if k == 0 { 0 } else { ends[k - 1] };
            out.get(from..*e).unwrap_or(&[])
        })
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
        self.line += raw.iter().filter(|c| **c == b'\n').count() as u32;
        // Quotes come in pairs (around a cell, and doubled inside one): an odd count means the
        // input ended inside a quoted cell.
        self.unterminated = raw.iter().filter(|c| **c == b'"').count() % 2 == 1;
        self.cells = (outlen, endlen);
    }
}

/// Read one table's CSV into a sink; returns the rows read. `path` names the file in errors
/// (e.g. `csv.orders`).
pub fn read_table(t: Table, bytes: &[u8], path: &str, sink: &mut dyn Sink) -> Result<usize, Error> {
    let mut r = Records { input: bytes, pos: 0, line: 1, rdr: Reader::new(), out: vec![0; 4096], ends: vec![0; 32], cells: (0, 0), unterminated: false };
    // A UTF-8 byte order mark is not part of the first column's name.
    if r.input.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.pos = 3;
    }
    if r.next().is_none() {
        return Err(Error::input(path, "the file is empty: a header row naming the columns is needed"));
    }
    let header: Vec<String> = r.cells().map(|c| String::from_utf8_lossy(c).trim().to_owned()).collect();
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
        let list = |v: &[&str]| v.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
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
    while let Some(line) = r.next() {
        let at = At { index, line: Some(line) };
        index += 1;
        // The row's id, when its cell can be read: a broken row still names itself.
        let id = id_slot.and_then(|k| r.cells().nth(k)).and_then(|c| std::str::from_utf8(c).ok()).filter(|s| !s.is_empty()).map(str::to_owned);
        if r.unterminated {
            sink.broken(t, at, id, None, Reason::Unterminated);
            continue;
        }
        let n = r.cells.1;
        if n != header.len() {
            sink.broken(t, at, id, None, Reason::Cells { got: n, expected: header.len() });
            continue;
        }
        let mut row = Row::default();
        let mut bad: Option<usize> = None;
        for (cell, s) in r.cells().zip(&slots) {
            let Some(s) = *s else { continue };
            match std::str::from_utf8(cell) {
                Ok("") => {}
                Ok(text) if t == Table::Snoozes && fields(t)[s] == "kinds" => {
                    row.vals[s] = Val::Array(
                        text.split('|').map(str::trim).filter(|k| !k.is_empty()).map(|k| Val::Str(Cow::Owned(k.to_owned()))).collect(),
                    );
                }
                Ok(text) => row.vals[s] = Val::Str(Cow::Borrowed(text)),
                Err(_) => {
                    bad = Some(s);
                    break;
                }
            }
        }
        match bad {
            None => sink.row(t, at, &row),
            Some(s) => sink.broken(t, at, id, fields(t).get(s).copied(), Reason::NotUtf8),
        }
    }
    sink.table_end(t);
    Ok(index)
}
