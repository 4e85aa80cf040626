//! Stage 5 (render): fingerprint bytes straight from view structs. A serde `Serializer`
//! that writes what it is given as unambiguous bytes (a tag per item, lengths before
//! contents, an end mark after lists and maps), so that equal bytes mean equal template
//! values without building the values.

use serde::ser::{self, Serialize};

/// Appends the encoding of `value` to `out`.
pub(super) fn encode<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Views always serialise: the only error is one a `Serialize` impl makes up itself, and
    // the bytes written so far then still tell that value from others.
    let _ = value.serialize(Encoder { out });
}

/// The 128-bit hash (XXH3) of `value`'s encoding: what a shared view puts in the encoding of
/// each page that shows it (see `Shared`).
pub(super) fn digest<T: Serialize + ?Sized>(value: &T) -> [u8; 16] {
    let mut encoded = Vec::with_capacity(1024);
    encode(&mut encoded, value);
    xxhash_rust::xxh3::xxh3_128(&encoded).to_le_bytes()
}

mod tag {
    pub const UNIT: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const SIGNED: u8 = 3;
    pub const UNSIGNED: u8 = 4;
    pub const FLOAT: u8 = 5;
    pub const STR: u8 = 6;
    pub const BYTES: u8 = 7;
    pub const SOME: u8 = 8;
    pub const LIST: u8 = 9;
    pub const MAP: u8 = 10;
    pub const END: u8 = 11;
    pub const UNIT_VARIANT: u8 = 12;
    pub const NEWTYPE_VARIANT: u8 = 13;
    pub const TUPLE_VARIANT: u8 = 14;
    pub const STRUCT_VARIANT: u8 = 15;
}

struct Encoder<'o> {
    out: &'o mut Vec<u8>,
}

/// The error type serde requires; encoding itself never fails.
#[derive(Debug)]
pub(super) struct EncodeError(String);

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

impl Encoder<'_> {
    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    fn str(&mut self, text: &str) {
        self.out.push(tag::STR);
        self.out.extend_from_slice(&(text.len() as u64).to_le_bytes());
        self.out.extend_from_slice(text.as_bytes());
    }

    /// An enum variant: its kind's tag, then its name (then its contents, if any).
    fn variant(&mut self, kind: u8, variant: &str) {
        self.tag(kind);
        self.str(variant);
    }

    /// A number: its kind's tag, then its eight bytes.
    fn number(&mut self, kind: u8, bytes: [u8; 8]) -> Result<(), EncodeError> {
        self.tag(kind);
        self.out.extend_from_slice(&bytes);
        Ok(())
    }

    fn reborrow(&mut self) -> Encoder<'_> {
        Encoder { out: self.out }
    }
}

/// Integers: widened to 64 bits, after the tag of their signedness.
macro_rules! encode_numbers {
    ($($method:ident($type:ty) => $tag:ident as $wide:ty,)*) => {$(
        fn $method(mut self, v: $type) -> Result<(), EncodeError> {
            self.number(tag::$tag, <$wide>::from(v).to_le_bytes())
        }
    )*};
}

impl<'o> ser::Serializer for Encoder<'o> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// Not human-readable: views shared by many pages encode as a digest of themselves here
    /// (`Shared`), while templates, through serde_json, see them whole.
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(mut self, v: bool) -> Result<(), EncodeError> {
        self.tag(if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    encode_numbers! {
        serialize_i8(i8) => SIGNED as i64,
        serialize_i16(i16) => SIGNED as i64,
        serialize_i32(i32) => SIGNED as i64,
        serialize_i64(i64) => SIGNED as i64,
        serialize_u8(u8) => UNSIGNED as u64,
        serialize_u16(u16) => UNSIGNED as u64,
        serialize_u32(u32) => UNSIGNED as u64,
        serialize_u64(u64) => UNSIGNED as u64,
    }
    fn serialize_f32(mut self, v: f32) -> Result<(), EncodeError> {
        self.number(tag::FLOAT, f64::from(v).to_bits().to_le_bytes())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), EncodeError> {
        self.number(tag::FLOAT, v.to_bits().to_le_bytes())
    }
    fn serialize_char(mut self, v: char) -> Result<(), EncodeError> {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), EncodeError> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), EncodeError> {
        self.tag(tag::BYTES);
        self.out.extend_from_slice(&(v.len() as u64).to_le_bytes());
        self.out.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), EncodeError> {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<(), EncodeError> {
        self.tag(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), EncodeError> {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), EncodeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.variant(tag::UNIT_VARIANT, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        self.variant(tag::NEWTYPE_VARIANT, variant);
        value.serialize(self)
    }
    fn serialize_seq(mut self, _len: Option<usize>) -> Result<Self, EncodeError> {
        self.tag(tag::LIST);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, EncodeError> {
        self.variant(tag::TUPLE_VARIANT, variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(mut self, _len: Option<usize>) -> Result<Self, EncodeError> {
        self.tag(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, EncodeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, EncodeError> {
        self.variant(tag::STRUCT_VARIANT, variant);
        self.serialize_map(Some(len))
    }
}

/// Lists: every element as itself, then the end mark.
macro_rules! encode_list {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Encoder<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
                value.serialize(self.reborrow())
            }
            fn end(mut self) -> Result<(), EncodeError> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

encode_list!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Encoder<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        key.serialize(self.reborrow())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self.reborrow())
    }
    fn end(mut self) -> Result<(), EncodeError> {
        self.tag(tag::END);
        Ok(())
    }
}

/// Structs: every field as its name then its value, then the end mark (as a map).
macro_rules! encode_struct {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Encoder<'_> {
            type Ok = ();
            type Error = EncodeError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), EncodeError> {
                self.str(key);
                value.serialize(self.reborrow())
            }
            fn end(self) -> Result<(), EncodeError> {
                ser::SerializeMap::end(self)
            }
        }
    )*};
}

encode_struct!(SerializeStruct, SerializeStructVariant);
