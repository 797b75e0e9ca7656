//! The location service's facts: resource areas, API resource locations and the api-version range
//! each location accepts. The table of the three areas is generated from `specs/`; the location
//! service's own two resources are written here.

use serde_json::{Value, json};

use crate::generated::{AREAS, LOCATIONS};

/// The host that serves an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// `dev.azure.com/{org}`.
    Core,
    /// `vssps.dev.azure.com/{org}`: identity and the PAT lifecycle API.
    Vssps,
}

/// A resource area: what `GET {org}/_apis/ResourceAreas` lists.
#[derive(Debug)]
pub struct Area {
    /// The area name, as the service spells it.
    pub name: &'static str,
    /// The area id the official clients look the area up by.
    pub id: &'static str,
    /// The host that serves it.
    pub host: Host,
}

/// An API resource location: one entry of `OPTIONS {org}/_apis`.
#[derive(Debug)]
pub struct Location {
    /// The location id the official clients call it by.
    pub id: &'static str,
    /// The area name.
    pub area: &'static str,
    /// The resource name.
    pub resource_name: &'static str,
    /// The route below the organization, with `{area}` and `{resource}` variables.
    pub route_template: &'static str,
    /// The highest `-preview.N` resource version.
    pub resource_version: u32,
    /// The first api-version the resource speaks.
    pub min_version: &'static str,
    /// The latest api-version the resource speaks.
    pub max_version: &'static str,
    /// The latest released api-version, `0.0` while the resource is in preview.
    pub released_version: &'static str,
}

/// The location service's own resources, which every client looks up first.
pub static LOCATION_SERVICE: [Location; 2] = [
    Location {
        id: "00d9565f-ed9c-4a06-9a50-00e7896ccab4",
        area: "Location",
        resource_name: "ConnectionData",
        route_template: "_apis/{resource}",
        resource_version: 1,
        min_version: "1.0",
        max_version: "7.1",
        released_version: "0.0",
    },
    Location {
        id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
        area: "Location",
        resource_name: "ResourceAreas",
        route_template: "_apis/{resource}/{areaId}",
        resource_version: 1,
        min_version: "3.2",
        max_version: "7.1",
        released_version: "0.0",
    },
];

impl Location {
    /// The location as `OPTIONS {org}/_apis` writes it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "area": self.area,
            "resourceName": self.resource_name,
            "routeTemplate": self.route_template,
            "resourceVersion": self.resource_version,
            "minVersion": self.min_version,
            "maxVersion": self.max_version,
            "releasedVersion": self.released_version,
        })
    }

    /// Whether the location accepts `requested`, or why not.
    pub fn accepts(&self, requested: &str) -> Result<(), VersionRefusal> {
        let wanted = ApiVersion::parse(requested).ok_or(VersionRefusal::OutOfRange)?;
        let min = ApiVersion::parse(self.min_version).map_or((0, 0), |v| v.number);
        let max = ApiVersion::parse(self.max_version).map_or((0, 0), |v| v.number);
        let released = ApiVersion::parse(self.released_version).map_or((0, 0), |v| v.number);
        if wanted.number < min {
            return Err(VersionRefusal::TooOld);
        }
        if wanted.number > max {
            return Err(VersionRefusal::OutOfRange);
        }
        if !wanted.preview && wanted.number > released {
            return Err(VersionRefusal::PreviewNeeded);
        }
        Ok(())
    }
}

/// Why an api-version was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionRefusal {
    /// Above the latest version, or not a version at all.
    OutOfRange,
    /// Below the resource's first version.
    TooOld,
    /// A version the resource has only in preview, asked for without `-preview`.
    PreviewNeeded,
}

/// An api-version as clients write it: `MAJOR.MINOR`, optionally `-preview` or `-preview.N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ApiVersion {
    number: (u32, u32),
    preview: bool,
}

impl ApiVersion {
    fn parse(text: &str) -> Option<Self> {
        let (number, preview) = match text.split_once('-') {
            Some((number, flag)) => {
                let rest = flag.strip_prefix("preview")?;
                let resource_ok = rest.is_empty()
                    || rest
                        .strip_prefix('.')
                        .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 1));
                if !resource_ok {
                    return None;
                }
                (number, true)
            }
            None => (text, false),
        };
        let (major, minor) = number.split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return None;
        }
        Some(Self {
            number: (major.parse().ok()?, minor.parse().ok()?),
            preview,
        })
    }
}

/// Every location: the location service's and the three areas'.
pub fn all_locations() -> impl Iterator<Item = &'static Location> {
    LOCATION_SERVICE.iter().chain(LOCATIONS.iter())
}

/// The area with this id (any case).
pub fn area_by_id(id: &str) -> Option<&'static Area> {
    AREAS.iter().find(|a| a.id.eq_ignore_ascii_case(id))
}

/// An area as `GET {org}/_apis/ResourceAreas` writes it: its URL is on the port of its host.
pub fn area_json(app: &crate::App, area: &Area, org: &str) -> Value {
    json!({
        "id": area.id,
        "name": area.name,
        "locationUrl": format!("{}/{org}/", app.origin(area.host)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(min: &'static str, released: &'static str) -> Location {
        Location {
            id: "x",
            area: "a",
            resource_name: "r",
            route_template: "_apis/{area}/{resource}",
            resource_version: 1,
            min_version: min,
            max_version: "7.1",
            released_version: released,
        }
    }

    #[test]
    fn a_released_resource_accepts_every_version_from_its_first_to_its_latest() {
        let released = location("4.1", "7.1");
        for v in [
            "4.1",
            "5.0",
            "6.0",
            "7.0",
            "7.1",
            "7.1-preview",
            "7.1-preview.1",
            "5.1-preview.2",
        ] {
            assert_eq!(released.accepts(v), Ok(()), "{v}");
        }
    }

    #[test]
    fn versions_before_the_first_are_too_old_and_after_the_latest_out_of_range() {
        let released = location("4.1", "7.1");
        assert_eq!(released.accepts("4.0"), Err(VersionRefusal::TooOld));
        assert_eq!(released.accepts("7.2"), Err(VersionRefusal::OutOfRange));
        assert_eq!(released.accepts("7.2-preview.1"), Err(VersionRefusal::OutOfRange));
        assert_eq!(released.accepts("10.0"), Err(VersionRefusal::OutOfRange));
    }

    #[test]
    fn a_preview_resource_needs_the_preview_flag_at_every_version() {
        let preview = location("6.1", "0.0");
        assert_eq!(preview.accepts("7.1-preview.1"), Ok(()));
        assert_eq!(preview.accepts("6.1-preview"), Ok(()));
        assert_eq!(preview.accepts("7.1"), Err(VersionRefusal::PreviewNeeded));
        assert_eq!(preview.accepts("7.0"), Err(VersionRefusal::PreviewNeeded));
    }

    #[test]
    fn text_that_is_not_a_version_is_refused() {
        let released = location("4.1", "7.1");
        for v in [
            "",
            "banana",
            "7",
            "7.1-beta",
            "7.1-preview.0",
            "7.1-preview.x",
            "-7.1",
            "7.1.0",
            "99999.1",
        ] {
            assert_eq!(released.accepts(v), Err(VersionRefusal::OutOfRange), "{v}");
        }
    }

    #[test]
    fn every_generated_location_speaks_its_operations_versions() {
        for op in crate::generated::OPS.iter() {
            assert_eq!(op.location.accepts(op.api_version), Ok(()), "{}", op.id);
        }
    }
}
