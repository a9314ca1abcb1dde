//! Orders of customers the engine hands out often, kept until the next update: every live
//! customer by id, and the results of the last queries.

use super::Engine;

/// What is cached between updates.
#[derive(Debug, Default)]
pub struct Cache {
    by_id: Option<Vec<u32>>,
    /// The last query's key and its matching items, for paging through it.
    pub last_customers: Option<(String, Vec<u32>)>,
    /// The last worklist query's key and its matching (customer, action) pairs.
    pub last_worklist: Option<(String, Vec<(u32, u16)>)>,
}

impl Cache {
    /// Forget everything (after a change).
    pub fn clear(&mut self) {
        *self = Cache::default();
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
