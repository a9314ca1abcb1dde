//! A small map kept sorted by key in a vector, written as a JSON object: what the report's
//! counts and parameters need, without a B-tree's code in the WebAssembly module.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// Keys in ascending order with their values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Keyed<K, V>(Vec<(K, V)>);

impl<K: Ord, V> Keyed<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Keyed(Vec::new())
    }

    fn at(&self, k: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(x, _)| x.cmp(k))
    }

    /// The value of a key.
    pub fn get<Q>(&self, k: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.binary_search_by(|(x, _)| x.borrow().cmp(k)).ok().map(|i| &self.0[i].1)
    }

    /// The value of a key, to change.
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.at(k).ok().map(|i| &mut self.0[i].1)
    }

    /// Set a key's value.
    pub fn insert(&mut self, k: K, v: V) {
        match self.at(&k) {
            Ok(i) => self.0[i].1 = v,
            Err(i) => self.0.insert(i, (k, v)),
        }
    }

    /// The value of a key, added with `V::default()` when absent.
    pub fn entry(&mut self, k: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.at(&k) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (k, V::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Serialize, V: Serialize> Serialize for Keyed<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<String, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct M<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for M<V> {
            type Value = Keyed<String, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Keyed::new();
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    out.insert(k, v);
                }
                Ok(out)
            }
        }
        d.deserialize_map(M(std::marker::PhantomData))
    }
}
