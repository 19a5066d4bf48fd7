#include <fmt/format.h>

#include <exception>

#include "cli/commands.hpp"
#include "qreg/error.hpp"

int main(int argc, char** argv) {
    try {
        return qreg::registry::cli::run(argc, argv);
    } catch (const qreg::Error& e) {
        fmt::print(stderr, "qreg: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "qreg: internal error: {}\n", e.what());
        return 70;
    }
}
