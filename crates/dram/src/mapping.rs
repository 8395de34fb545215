//! Address mapping: a DRAMsim3 bit-order string (`rochrababgco`: row bits highest, column bits lowest)
//! turned into the bit position and width of each field above the request offset.

use crate::config::Structure;
use crate::error::ConfigError;

/// One field of a physical address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingField {
    Channel,
    Rank,
    BankGroup,
    Bank,
    Row,
    Column,
}

impl MappingField {
    const ALL: [MappingField; 6] = [
        MappingField::Channel,
        MappingField::Rank,
        MappingField::BankGroup,
        MappingField::Bank,
        MappingField::Row,
        MappingField::Column,
    ];

    fn token(self) -> &'static str {
        match self {
            MappingField::Channel => "ch",
            MappingField::Rank => "ra",
            MappingField::BankGroup => "bg",
            MappingField::Bank => "ba",
            MappingField::Row => "ro",
            MappingField::Column => "co",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Where each field sits in an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressMapping {
    /// Bits of the byte offset inside one request (log2 of the request size).
    offset_bits: u32,
    /// Per field (in `MappingField` order): position above the offset, and width.
    fields: [(u32, u32); 6],
}

/// An address split into its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedAddress {
    pub channel: u32,
    pub rank: u32,
    pub bankgroup: u32,
    pub bank: u32,
    pub row: u32,
    pub column: u32,
}

impl AddressMapping {
    /// Parses `text` (six two-letter fields, most significant first) for a device `structure` whose
    /// requests are `request_bytes` long.
    pub fn new(
        text: &str,
        structure: &Structure,
        request_bytes: u64,
    ) -> Result<AddressMapping, ConfigError> {
        let fail = |reason: String| ConfigError::AddressMapping {
            mapping: text.to_string(),
            reason,
        };
        if !text.is_ascii() || text.len() != 12 {
            return Err(fail(format!(
                "expected six two-letter fields (12 characters) naming ch, ra, bg, ba, ro and co, found {} characters",
                text.chars().count()
            )));
        }
        let widths = [
            structure.channels.trailing_zeros(),
            structure.ranks.trailing_zeros(),
            structure.bankgroups.trailing_zeros(),
            structure.banks_per_group.trailing_zeros(),
            structure.rows.trailing_zeros(),
            structure.columns.trailing_zeros() - structure.burst_length.trailing_zeros(),
        ];
        let mut seen = [false; 6];
        let mut fields = [(0, 0); 6];
        let mut position = 0u32;
        // The last token is the least significant field.
        for chunk in text.as_bytes().chunks(2).rev() {
            let token = std::str::from_utf8(chunk).unwrap_or("");
            let Some(field) = MappingField::ALL.iter().find(|f| f.token() == token) else {
                return Err(fail(format!(
                    "unknown field \"{token}\"; the fields are ch, ra, bg, ba, ro and co"
                )));
            };
            let index = field.index();
            if seen[index] {
                return Err(fail(format!("field \"{token}\" appears twice")));
            }
            seen[index] = true;
            fields[index] = (position, widths[index]);
            position += widths[index];
        }
        let offset_bits = request_bytes.trailing_zeros();
        if position + offset_bits > 64 {
            return Err(fail(format!(
                "the fields need {} address bits, more than 64",
                position + offset_bits
            )));
        }
        Ok(AddressMapping {
            offset_bits,
            fields,
        })
    }

    /// Splits a byte address into its fields (bits above the mapped ones are ignored, as DRAMsim3
    /// ignores them).
    pub fn decode(&self, address: u64) -> DecodedAddress {
        let a = address >> self.offset_bits;
        let field = |f: MappingField| {
            let (position, width) = self.fields[f.index()];
            ((a >> position) & ((1u64 << width) - 1)) as u32
        };
        DecodedAddress {
            channel: field(MappingField::Channel),
            rank: field(MappingField::Rank),
            bankgroup: field(MappingField::BankGroup),
            bank: field(MappingField::Bank),
            row: field(MappingField::Row),
            column: field(MappingField::Column),
        }
    }

    /// The lowest byte-address bit of a field (adding `1 << shift` increments that field by one).
    pub fn field_shift(&self, field: MappingField) -> u32 {
        self.offset_bits + self.fields[field.index()].0
    }

    /// Total mapped address bits, offset included: addresses below `1 << bits` are all distinct.
    pub fn address_bits(&self) -> u32 {
        self.offset_bits + self.fields.iter().map(|(_, w)| w).sum::<u32>()
    }
}
