//! Customers grouped for fast likelihood evaluation.
//!
//! Identical `(x, t_x, T)` triples are evaluated once and weighted by their count, and the
//! terms that depend on `x` alone (gamma and beta functions and their derivatives) are
//! evaluated once per distinct `x`. With daily timestamps most customers of a large cohort
//! share their triple with others.

use super::error::BtydError;
use super::fit::FitOptions;
use super::observation::{check_all, Observation};

/// Customers sharing one `(t_x, T)` within a frequency group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    pub t_x: f64,
    pub t: f64,
    pub count: f64,
}

/// Customers sharing one frequency `x`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub x: f64,
    /// Number of customers in the group.
    pub count: f64,
    pub cells: Vec<Cell>,
}

/// A data set grouped by frequency, then by `(t_x, T)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grouped {
    pub groups: Vec<Group>,
    /// Number of customers.
    pub customers: f64,
    /// Sum of the frequencies.
    pub total_x: f64,
    /// Sum of the ages.
    pub total_t: f64,
}

/// Groups (already checked) observations.
pub(crate) fn group<'a>(data: impl Iterator<Item = &'a Observation>) -> Grouped {
    let mut rows: Vec<Observation> = data.copied().collect();
    crate::sort::sort_by(&mut rows, |a, b| a.x.cmp(&b.x).then(a.t_x.total_cmp(&b.t_x)).then(a.t.total_cmp(&b.t)));
    let mut groups: Vec<Group> = Vec::new();
    let (mut customers, mut total_x, mut total_t) = (0.0, 0.0, 0.0);
    for o in &rows {
        let x = f64::from(o.x);
        customers += 1.0;
        total_x += x;
        total_t += o.t;
        let same_group = groups.last().is_some_and(|g| g.x == x);
        if !same_group {
            groups.push(Group { x, count: 0.0, cells: Vec::new() });
        }
        if let Some(g) = groups.last_mut() {
            g.count += 1.0;
            match g.cells.last_mut() {
                Some(c) if c.t_x == o.t_x && c.t == o.t => c.count += 1.0,
                _ => g.cells.push(Cell { t_x: o.t_x, t: o.t, count: 1.0 }),
            }
        }
    }
    Grouped { groups, customers, total_x, total_t }
}

/// What every purchase-model fit starts with: the options and observations checked, the
/// customers grouped, and the data able to identify a model (someone bought again, and the
/// windows are not all empty).
pub(crate) fn group_for_fit(customers: &[Observation], options: &FitOptions) -> Result<Grouped, BtydError> {
    options.check()?;
    if customers.is_empty() {
        return Err(BtydError::Empty { what: "customers to fit" });
    }
    check_all(customers)?;
    let full = group(customers.iter());
    if full.total_x == 0.0 {
        return Err(BtydError::NotIdentified { reason: "nobody made a repeat purchase".into() });
    }
    if full.total_t <= 0.0 {
        return Err(BtydError::NotIdentified { reason: "every observation window has length 0".into() });
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_identical_customers() {
        let data = [
            Observation::new(1, 2.0, 5.0),
            Observation::new(0, 0.0, 5.0),
            Observation::new(1, 2.0, 5.0),
            Observation::new(0, 0.0, 4.0),
            Observation::new(0, 0.0, 5.0),
        ];
        let g = group(data.iter());
        assert_eq!(g.customers, 5.0);
        assert_eq!(g.total_x, 2.0);
        assert_eq!(g.groups.len(), 2);
        assert_eq!(
            g.groups[0].cells,
            vec![Cell { t_x: 0.0, t: 4.0, count: 1.0 }, Cell { t_x: 0.0, t: 5.0, count: 2.0 }]
        );
        assert_eq!(g.groups[1].count, 2.0);
        assert_eq!(g.groups[1].cells.len(), 1);
    }
}
