//! Open enums: the values the service documents, and every other value kept as it came.

/// Declare an open string enum: one variant per documented value plus `Other(String)`, so that a
/// value the service adds later decodes instead of failing the whole answer, and is written back
/// unchanged.
///
/// Add `case_insensitive` after the name to accept documented values in any case (they are written
/// back in the documented case). With the calling crate's `schemars` feature, the enum describes
/// itself as a string.
///
/// ```
/// ado_core::open_enum! {
///     /// A colour.
///     pub enum Colour {
///         /// Red.
///         Red = "red",
///         /// Dark blue.
///         DarkBlue = "darkBlue",
///     }
/// }
/// let c: Colour = serde_json::from_str(r#""darkBlue""#).unwrap();
/// assert_eq!(c, Colour::DarkBlue);
/// let other: Colour = serde_json::from_str(r#""teal""#).unwrap();
/// assert_eq!(other, Colour::Other("teal".to_string()));
/// assert_eq!(serde_json::to_string(&other).unwrap(), r#""teal""#);
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident $(: $case:ident)? {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the crate does not know, kept as the service sent it.
            Other(::std::string::String),
        }

        impl $name {
            /// Every documented value, in the documented order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as the service writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )+
                    $name::Other(value) => value.as_str(),
                }
            }

            fn parse_known(value: &str) -> ::std::option::Option<Self> {
                const CASE_INSENSITIVE: bool = $crate::open_enum!(@ci $($case)?);
                let same = |known: &str| if CASE_INSENSITIVE { value.eq_ignore_ascii_case(known) } else { value == known };
                $( if same($value) { return Some($name::$variant); } )+
                None
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::parse_known(value).unwrap_or_else(|| $name::Other(value.to_string())))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse_known(value).unwrap_or_else(|| $name::Other(value.to_string()))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// Described as a string (with the calling crate's `schemars` feature).
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                stringify!($name).to_string()
            }
            fn json_schema(generator: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                <::std::string::String as ::schemars::JsonSchema>::json_schema(generator)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
    (@ci case_insensitive) => { true };
    (@ci) => { false };
}

#[cfg(test)]
mod tests {
    crate::open_enum! {
        /// Test enum.
        pub enum Kind: case_insensitive {
            /// A.
            Exact = "Exact",
            /// B.
            Prefix = "Prefix",
        }
    }

    crate::open_enum! {
        /// Test enum, case kept.
        pub enum Strict {
            /// A.
            InProgress = "inProgress",
        }
    }

    #[test]
    fn a_case_insensitive_value_is_recognised_in_any_case_and_written_in_the_documented_one() {
        let kind: Kind = serde_json::from_str(r#""exact""#).unwrap();
        assert_eq!(kind, Kind::Exact);
        assert_eq!(serde_json::to_string(&kind).unwrap(), r#""Exact""#);
    }

    #[test]
    fn an_unknown_value_round_trips_unchanged() {
        let kind: Kind = serde_json::from_str(r#""Regex""#).unwrap();
        assert_eq!(kind, Kind::Other("Regex".to_string()));
        assert_eq!(serde_json::to_string(&kind).unwrap(), r#""Regex""#);
    }

    #[test]
    fn every_documented_value_round_trips() {
        for kind in Kind::KNOWN {
            assert_eq!(&kind.as_str().parse::<Kind>().unwrap(), kind);
        }
        assert_eq!(Strict::KNOWN, &[Strict::InProgress]);
    }

    #[test]
    fn a_case_sensitive_enum_keeps_other_cases_as_other() {
        assert_eq!(
            "inprogress".parse::<Strict>().unwrap(),
            Strict::Other("inprogress".into())
        );
        assert_eq!("inProgress".parse::<Strict>().unwrap(), Strict::InProgress);
    }
}
