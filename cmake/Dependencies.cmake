# Third-party dependencies, all from Debian 12 packages (see scripts/setup.sh).
find_package(OpenSSL 3.0 REQUIRED)
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Net NetSSL Crypto JSON Util Zip)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)
# Unicode normalisation (NFC) of text people read: base links it privately.
find_package(ICU 72 REQUIRED COMPONENTS uc)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PODOFO REQUIRED IMPORTED_TARGET libpodofo)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(XMLSEC REQUIRED IMPORTED_TARGET xmlsec1-openssl)
# The agency inbox inflates every package's actas: libdeflate does it about twice as fast as
# zlib (delivery/src/package_zip.cc).
pkg_check_modules(LIBDEFLATE REQUIRED IMPORTED_TARGET libdeflate)
find_package(Threads REQUIRED)
