import ArgumentParser
import Foundation
import MailCore

/// Reads passwords without them ever being a command-line argument: a no-echo prompt on the
/// terminal (termios), or the first line of standard input.
enum PasswordInput {
    /// First line of standard input, without its line end.
    static func fromStandardInput() throws -> Secret {
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while read(0, &c, 1) == 1 {
            if c == 0x0A { break }
            bytes.append(c)
            if bytes.count > 4096 { throw CLIError.badInput("the password on standard input is too long") }
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw CLIError.badInput("standard input held no password; pipe one line, e.g. from a password manager")
        }
        return Secret(bytes: bytes)
    }

    /// Asks twice on /dev/tty with echo off.
    static func prompt(for address: EmailAddress) throws -> Secret {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError.usage("no terminal to ask for the password; use --password-stdin or --generate")
        }
        defer { close(fd) }
        let first = try ask(fd, "New password for \(address): ")
        let second = try ask(fd, "Type it again: ")
        guard first == second else { throw CLIError.badInput("the two passwords differ; run the command again") }
        return first
    }

    static func ask(_ fd: Int32, _ text: String) throws -> Secret {
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw CLIError.failure("cannot read terminal settings") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while read(fd, &c, 1) == 1, c != 0x0A { bytes.append(c) }
        if bytes.last == 0x0D { bytes.removeLast() }
        return Secret(bytes: bytes)
    }
}
