# Install rules and the Debian package (`cpack -G DEB` in a build tree; packaging/README.md).
# A package is built from a release build: `cmake --preset release && cmake --build --preset
# release && cd build/release && cpack -G DEB`. tests/packaging checks the .deb of whatever
# tree runs it (file list, modes, the unit's verification and security score).
include(GNUInstallDirs)

# rubrica-verify-worker: the sandboxed verifier, which `rubrica` finds beside itself
# (server/include/rubrica/server/verify_worker.h).
install(TARGETS rubrica rubrica-verify-worker RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The web pages, when scripts/web.sh built them: `rubrica serve` finds them at
# ../share/rubrica/web beside the executable (server/src/web_routes.h).
install(DIRECTORY ${CMAKE_BINARY_DIR}/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/rubrica/web OPTIONAL)
install(FILES README.md docs/operations.md docs/architecture.md docs/api.md docs/verify-report.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
# Absolute: Debian 12 keeps units in /lib/systemd/system (not under the /usr prefix).
install(FILES packaging/rubrica.service DESTINATION /lib/systemd/system)
install(FILES packaging/rubrica.conf DESTINATION /etc/rubrica
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

set(CPACK_PACKAGE_NAME rubrica)
set(CPACK_PACKAGE_VENDOR "Rúbrica")
set(CPACK_PACKAGE_CONTACT "Rúbrica maintainers <rubrica@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Actas of open-government technical secretariats, from draft to certified archive")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata, fonts-dejavu-core, fonts-liberation, icc-profiles-free")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/postinst ${CMAKE_SOURCE_DIR}/packaging/prerm
    ${CMAKE_SOURCE_DIR}/packaging/postrm ${CMAKE_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
