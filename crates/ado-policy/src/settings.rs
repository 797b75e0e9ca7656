//! Typed settings (filled in below).
