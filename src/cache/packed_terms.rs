//! Incremental work: a term bag saved as one run of bytes (12 per term: the id and the
//! weight, little-endian) instead of a list of numbers, which postcard writes one at a
//! time as varints; a run of bytes is copied whole, both ways.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serializer};

use super::RawBytes;
use crate::related::TermBag;

const TERM_BYTES: usize = 12;

pub(super) fn serialize<S: Serializer>(
    terms: &Option<Arc<TermBag>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match terms {
        None => serializer.serialize_none(),
        Some(bag) => {
            let mut bytes = Vec::with_capacity(bag.len() * TERM_BYTES);
            for (term, weight) in bag.iter() {
                bytes.extend_from_slice(&term.to_le_bytes());
                bytes.extend_from_slice(&weight.to_bits().to_le_bytes());
            }
            serializer.serialize_some(&RawBytes(&bytes))
        }
    }
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Arc<TermBag>>, D::Error> {
    Ok(Option::<PackedBag>::deserialize(deserializer)?.map(|bag| Arc::new(bag.0)))
}

/// A term bag read back from its bytes.
struct PackedBag(TermBag);

impl<'de> Deserialize<'de> for PackedBag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PackedBag;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a term bag as bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<PackedBag, E> {
                if !bytes.len().is_multiple_of(TERM_BYTES) {
                    return Err(E::custom("a term bag's length is not a whole number of terms"));
                }
                let bag = bytes
                    .chunks_exact(TERM_BYTES)
                    .map(|term| {
                        let mut id = [0; 8];
                        let mut weight = [0; 4];
                        id.copy_from_slice(&term[..8]);
                        weight.copy_from_slice(&term[8..]);
                        (u64::from_le_bytes(id), f32::from_bits(u32::from_le_bytes(weight)))
                    })
                    .collect();
                Ok(PackedBag(bag))
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Entry {
        #[serde(with = "super")]
        terms: Option<Arc<TermBag>>,
    }

    #[test]
    fn a_term_bag_comes_back_as_it_was_saved() {
        let bag = vec![(0, 0.0), (1, 1.5), (u64::MAX, f32::MAX), (0x0123_4567_89ab_cdef, -2.25)];
        for terms in [None, Some(Arc::new(Vec::new())), Some(Arc::new(bag))] {
            let entry = Entry { terms };
            let bytes = postcard::to_stdvec(&entry).unwrap();
            assert_eq!(postcard::from_bytes::<Entry>(&bytes).unwrap(), entry);
        }
    }

    #[test]
    fn a_cut_term_bag_is_an_error() {
        let entry = Entry { terms: Some(Arc::new(vec![(7, 1.0)])) };
        let mut bytes = postcard::to_stdvec(&entry).unwrap();
        // Option tag, length, then 12 bytes: drop the last byte and shorten the length.
        bytes.pop();
        bytes[1] -= 1;
        assert!(postcard::from_bytes::<Entry>(&bytes).is_err());
    }
}
