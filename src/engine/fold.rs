//! Case folding for the customers search and the sort by name: ASCII, Latin-1, Latin
//! Extended-A, Greek and Cyrillic capitals, without the full Unicode tables in the module.

pub(super) fn contains_ci(hay: &str, needle_lower: &str) -> bool {
    if hay.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle_lower.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    // Bytes: a match of valid UTF-8 in valid UTF-8 starts and ends at character boundaries.
    let (h, n) = (fold(hay), needle_lower.as_bytes());
    n.is_empty() || h.as_bytes().windows(n.len()).any(|w| w == n)
}

/// Lower case for search and sorting by name: ASCII, Latin-1, Latin Extended-A, Greek and
/// Cyrillic capitals (the names a CRM holds), without the full Unicode tables in the module.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

pub(super) fn fold_char(c: char) -> char {
    let u = c as u32;
    let l = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => u + 0x20,
        0x400..=0x40F => u + 0x50,
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_the_letters_of_names() {
        assert_eq!(fold("ÉCOLE Müller ØSTERGAARD Łódź ŸVES ΑΘΗΝΑ МОСКВА Ёлка"), "école müller østergaard łódź ÿves αθηνα москва ёлка");
        assert_eq!(fold("×ß123"), "×ß123");
    }
}
