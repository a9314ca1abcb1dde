//! Orders of customers the engine hands out often, kept until the next update: every live
//! customer by id, the folded-name ranks, and the results of the last few queries (a page
//! through a list, or a page that switches between a few sorts, sorts once).

use super::Engine;
use std::rc::Rc;

/// How many recent queries of each list are kept.
const RECENT: usize = 8;

/// The last queries' keys and results, most recent first.
#[derive(Debug)]
pub struct Recent<T>(Vec<(String, Rc<Vec<T>>)>);

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent(Vec::new())
    }
}

impl<T> Recent<T> {
    /// The result of the query `key`, if kept (it becomes the most recent).
    pub fn get(&mut self, key: &str) -> Option<Rc<Vec<T>>> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        let hit = self.0.remove(i);
        let v = hit.1.clone();
        self.0.insert(0, hit);
        Some(v)
    }

    /// Keep `v` as the result of `key`.
    pub fn put(&mut self, key: String, v: Rc<Vec<T>>) {
        self.0.insert(0, (key, v));
        self.0.truncate(RECENT);
    }
}

/// What is cached between updates.
#[derive(Debug, Default)]
pub struct Cache {
    by_id: Option<Vec<u32>>,
    /// Each customer slot's rank by folded name.
    pub name_ranks: Option<Rc<Vec<u32>>>,
    /// Recent customers-list queries and their matching customers.
    pub customers: Recent<u32>,
    /// Recent worklist queries and their matching (customer, action) pairs.
    pub worklist: Recent<(u32, u16)>,
}

impl Cache {
    /// Forget everything (after a change).
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    /// Forget the lists, keep what depends only on the customers table (after a change to the
    /// other tables: the id order and the name ranks stay).
    pub fn clear_lists(&mut self) {
        self.customers = Recent::default();
        self.worklist = Recent::default();
    }
}

impl Engine {
    /// Live customer slots in id order.
    pub(super) fn by_id(&self) -> Vec<u32> {
        if let Some(v) = &self.cache.borrow().by_id {
            return v.clone();
        }
        let d = &self.store.data;
        let mut v: Vec<u32> = self.by_slot().into_iter().map(|c| c as u32).collect();
        crate::sort::sort_by(&mut v, |a, b| d.customer_id(*a as usize).cmp(d.customer_id(*b as usize)));
        self.cache.borrow_mut().by_id = Some(v.clone());
        v
    }

    /// Live customer slots in slot order.
    pub(super) fn by_slot(&self) -> Vec<usize> {
        (0..self.entries.len()).filter(|c| self.entries[*c].alive).collect()
    }

    /// The index of a customer's row in the input that brought it, and that update's number
    /// (`None`: the load).
    pub(super) fn origin(&self, c: usize) -> (usize, Option<u32>) {
        let (index, update) = self.store.origin.get(c).copied().unwrap_or((0, 0));
        (index as usize, (update > 0).then_some(update))
    }
}
