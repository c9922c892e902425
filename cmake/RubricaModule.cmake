# Compile options for our own code: warnings as errors, sanitizers when asked.
add_library(rubrica_warnings INTERFACE)
target_compile_options(rubrica_warnings INTERFACE -Wall -Wextra -Werror -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O2 reports -Wrestrict on std::string operator+(const char*, std::string&&)
  # (GCC bugs 105329 and 105651): false positives in libstdc++ itself.
  target_compile_options(rubrica_warnings INTERFACE -Wno-restrict)
endif()

add_library(rubrica_sanitizers INTERFACE)
if(RUBRICA_SANITIZE)
  target_compile_options(rubrica_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(rubrica_sanitizers INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(rubrica_sanitizers INTERFACE RUBRICA_SANITIZED=1)
endif()
if(RUBRICA_TSAN)
  target_compile_options(rubrica_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(rubrica_sanitizers INTERFACE -fsanitize=thread)
  target_compile_definitions(rubrica_sanitizers INTERFACE RUBRICA_SANITIZED=1)
endif()

# rubrica_module(NAME name SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
# Declares one library per module: target rubrica_<name>, alias rubrica::<name>,
# public headers in <module>/include, sources in <module>/src.
function(rubrica_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(rubrica_${M_NAME} STATIC ${M_SOURCES})
  add_library(rubrica::${M_NAME} ALIAS rubrica_${M_NAME})
  target_include_directories(rubrica_${M_NAME}
    PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(rubrica_${M_NAME}
    PUBLIC ${M_PUBLIC_DEPS} rubrica_sanitizers
    PRIVATE ${M_PRIVATE_DEPS} rubrica_warnings)
endfunction()

# rubrica_test(NAME name SOURCES ... DEPS ...): one GoogleTest binary, discovered by CTest.
function(rubrica_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} rubrica_test_support GTest::gtest GTest::gtest_main rubrica_warnings)
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60)
endfunction()
