//! A table's rows: an array of objects read into a [`Sink`] in batches, each object's contract
//! fields only (unknown keys skipped whatever they hold; rows the host marked unreadable
//! rejected in their place).

use super::{Envelope, Parser, R, UNREADABLE, UNREADABLE_FIELD};
use crate::error::Reason;
use crate::input::records::Table;
use crate::input::row::{fields, slot, At, Row, Sink, Val, BATCH};

impl<'a> Parser<'a> {
    /// A table: an array of rows into the sink; anything else is remembered as a shape error.
    pub(super) fn table(&mut self, t: Table, sink: &mut dyn Sink, env: &mut Envelope, shape: &mut [Option<String>; 8]) -> R<()> {
        let k = t as usize;
        match self.peek() {
            Some(b'[') => {}
            Some(b'n') => return self.literal(b"null"),
            _ => {
                let v = self.value_summary()?;
                shape[k] = Some(format!("expected an array of rows, got {}", v.quoted()));
                return Ok(());
            }
        }
        env.present[k] = true;
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            sink.table_end(t);
            return Ok(());
        }
        // No row takes fewer than about 40 bytes (`{"id":"x","customerId":"y","at":…}`).
        sink.table_start(t, (self.b.len() - self.i) / 40);
        let mut batch: Vec<(At, Row<'a>)> = Vec::with_capacity(BATCH);
        let mut index = 0usize;
        loop {
            self.ws();
            let at = At { index, line: None };
            if self.peek() == Some(b'{') {
                let mut row = Row::default();
                let mut unreadable: [Val<'a>; 2] = Default::default();
                self.object(|p, key| match slot(t, key) {
                    Some(s) => p.field_into(&mut row.vals[s]),
                    None if key.starts_with(b"\0") => match key {
                        UNREADABLE => p.field_into(&mut unreadable[0]),
                        UNREADABLE_FIELD => p.field_into(&mut unreadable[1]),
                        _ => p.skip_value(),
                    },
                    None => p.skip_value(),
                })?;
                if let Val::Str(why) = &unreadable[0] {
                    // A row the host could not read: one rejected row, in its place.
                    sink.rows(t, &batch);
                    batch.clear();
                    let field = match &unreadable[1] {
                        Val::Str(f) => slot(t, f.as_bytes()).map(|s| fields(t)[s]),
                        _ => None,
                    };
                    let id = match row.get(0) {
                        Val::Str(id) => Some(id.to_string()),
                        Val::Num(n) => Some(crate::num::Num(*n).to_string()),
                        _ => None,
                    };
                    sink.broken(t, at, id, field, Reason::Unreadable(why.to_string()));
                } else {
                    batch.push((at, row));
                }
                if batch.len() == BATCH {
                    sink.rows(t, &batch);
                    batch.clear();
                }
            } else {
                sink.rows(t, &batch);
                batch.clear();
                let v = self.value_summary()?;
                sink.other(t, at, &v);
            }
            index += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    sink.rows(t, &batch);
                    env.received[k] = index;
                    sink.table_end(t);
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }
}
