# One INTERFACE target carries the compiler settings every target shares.
include(CTest)
option(MC_WERROR "Treat warnings as errors (CI)" OFF)
set(MC_SANITIZE "" CACHE STRING "Sanitizers for this build folder: address;undefined or thread")
set(MC_FUZZ OFF CACHE BOOL "Build the libFuzzer targets (clang)")

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "" FORCE)
endif()

add_library(mc_common INTERFACE)
target_compile_features(mc_common INTERFACE cxx_std_20)
target_compile_definitions(mc_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    MC_VERSION="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(mc_common INTERFACE -Wall -Wextra -Wpedantic)
    if(MC_WERROR)
        target_compile_options(mc_common INTERFACE -Werror)
    endif()
endif()
if(MC_FUZZ)
    target_compile_options(mc_common INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(MC_SANITIZE)
    list(JOIN MC_SANITIZE "," mc_sanitizers)
    target_compile_options(mc_common INTERFACE -fsanitize=${mc_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(mc_common INTERFACE -fsanitize=${mc_sanitizers})
endif()

# Debian's hardening flags for every target, so the packaged binaries carry
# them: dpkg-buildflags with hardening=+all (fortify, stack protector, relro,
# bindnow). Only the hardening part is taken: -g/-O come from the build type,
# and -ffile-prefix-map would tie objects to one source folder. Not with
# sanitizers or fuzzing (fortify conflicts with them), nor in Debug (fortify needs -O).
option(MC_HARDENING "Compile and link with dpkg-buildflags' hardening flags when dpkg-buildflags exists" ON)
find_program(MC_DPKG_BUILDFLAGS dpkg-buildflags)
if(MC_HARDENING AND MC_DPKG_BUILDFLAGS AND NOT MC_SANITIZE AND NOT MC_FUZZ)
    foreach(kind CPPFLAGS CXXFLAGS LDFLAGS)
        execute_process(COMMAND ${CMAKE_COMMAND} -E env DEB_BUILD_MAINT_OPTIONS=hardening=+all
                                ${MC_DPKG_BUILDFLAGS} --get ${kind}
                        OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
        separate_arguments(flags UNIX_COMMAND "${flags}")
        list(FILTER flags EXCLUDE REGEX "^-g$|^-O[0-9s]?$|^-ffile-prefix-map=|^-fdebug-prefix-map=")
        set(mc_hardening_${kind} ${flags})
    endforeach()
    target_compile_options(mc_common INTERFACE
        "$<$<NOT:$<CONFIG:Debug>>:${mc_hardening_CPPFLAGS};${mc_hardening_CXXFLAGS}>")
    target_link_options(mc_common INTERFACE ${mc_hardening_LDFLAGS})
    message(STATUS "Hardening (dpkg-buildflags): ${mc_hardening_CPPFLAGS} ${mc_hardening_CXXFLAGS} ${mc_hardening_LDFLAGS}")
endif()

# CPack strips the installed binaries with CMAKE_STRIP: strip them the way
# Debian's dh_strip does, also dropping the .comment and .note sections
# (lintian's binary-has-unneeded-section).
if(CMAKE_STRIP AND UNIX AND NOT APPLE)
    if(NOT MC_REAL_STRIP)
        set(MC_REAL_STRIP "${CMAKE_STRIP}" CACHE INTERNAL "The strip program mc-strip calls")
    endif()
    file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/mc-strip
         CONTENT "#!/bin/sh\nexec \"${MC_REAL_STRIP}\" --remove-section=.comment --remove-section=.note \"$@\"\n")
    file(CHMOD ${PROJECT_BINARY_DIR}/mc-strip PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
         WORLD_READ WORLD_EXECUTE)
    set(CMAKE_STRIP ${PROJECT_BINARY_DIR}/mc-strip CACHE FILEPATH "Strip like dh_strip" FORCE)
endif()
