//! The reader of an engine update: `{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`.

use super::{table_of, unique, Envelope, Parser};
use crate::error::Error;
use crate::input::records::Table;
use crate::input::row::{Sink, Val};

/// An id to remove, with its position in the update's list for that table.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The table.
    pub table: Table,
    /// Position in the list.
    pub index: usize,
    /// The value given.
    pub id: Val<'static>,
}

/// Read an update `{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`: the upserted
/// rows go to the sink, the ids to remove are returned.
pub fn read_update(bytes: &[u8], sink: &mut dyn Sink) -> Result<Vec<Removal>, Error> {
    let mut p = Parser::new(bytes).map_err(|e| Error::input("update", e.into_reason()))?;
    let mut removals = Vec::new();
    let mut env = Envelope::default();
    let mut tables: [Option<String>; 8] = Default::default();
    let mut bad: Option<(String, String)> = None;
    p.ws();
    if p.peek() != Some(b'{') {
        let v = p.value_summary().map_err(|e| p.error("update", &e))?;
        return Err(Error::input("update", format!("expected an object `{{ upsert?, remove? }}`, got {}", v.quoted())));
    }
    let mut keys: Vec<Vec<u8>> = Vec::new();
    p.object(|p, key| {
        unique(&mut keys, key)?;
        match key {
            b"upsert" | b"remove" if p.peek() == Some(b'n') => p.literal(b"null"),
            b"upsert" if p.peek() == Some(b'{') => {
                let mut inner: Vec<Vec<u8>> = Vec::new();
                p.object(|p, k| {
                    unique(&mut inner, k)?;
                    match table_of(k) {
                        Some(t) => p.table(t, sink, &mut env, &mut tables),
                        None => {
                            bad.get_or_insert((format!("update.upsert.{}", String::from_utf8_lossy(k)), "unknown table".into()));
                            p.skip_value()
                        }
                    }
                })
            }
            b"remove" if p.peek() == Some(b'{') => {
                let mut inner: Vec<Vec<u8>> = Vec::new();
                p.object(|p, k| {
                    unique(&mut inner, k)?;
                    let Some(t) = table_of(k) else {
                        bad.get_or_insert((format!("update.remove.{}", String::from_utf8_lossy(k)), "unknown table".into()));
                        return p.skip_value();
                    };
                    if p.peek() != Some(b'[') {
                        match p.field()? {
                            Val::Absent => {}
                            v => {
                                bad.get_or_insert((format!("update.remove.{}", t.as_str()), format!("expected an array of ids, got {}", v.quoted())));
                            }
                        }
                        return Ok(());
                    }
                    p.i += 1;
                    p.ws();
                    if p.peek() == Some(b']') {
                        p.i += 1;
                        return Ok(());
                    }
                    let mut index = 0;
                    loop {
                        let id = p.value_summary()?;
                        removals.push(Removal { table: t, index, id: id.into_owned() });
                        index += 1;
                        p.ws();
                        match p.peek() {
                            Some(b',') => p.i += 1,
                            Some(b']') => {
                                p.i += 1;
                                return Ok(());
                            }
                            _ => return Err(p.unexpected("`,` or `]`")),
                        }
                    }
                })
            }
            b"upsert" | b"remove" => {
                let v = p.value_summary()?;
                let k = String::from_utf8_lossy(key).into_owned();
                bad.get_or_insert((format!("update.{k}"), format!("expected an object of tables, got {}", v.quoted())));
                Ok(())
            }
            k => {
                bad.get_or_insert((format!("update.{}", String::from_utf8_lossy(k)), "unknown key, expected upsert or remove".into()));
                p.skip_value()
            }
        }
    })
    .and_then(|()| p.end())
    .map_err(|e| p.error("update", &e))?;
    if let Some((path, reason)) = bad {
        return Err(Error::input(path, reason));
    }
    for (k, t) in Table::ALL.iter().enumerate() {
        if let Some(reason) = &tables[k] {
            return Err(Error::input(format!("update.upsert.{}", t.as_str()), reason.clone()));
        }
    }
    Ok(removals)
}
