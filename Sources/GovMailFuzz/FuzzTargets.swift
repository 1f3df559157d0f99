import GovMailConfig
import HTTPProtocol
import IMAPProtocol
import MessageFormat
import Provisioning
import SMTPProtocol
import SieveProtocol

/// Every fuzz target by name; a new protocol adds one line here.
let fuzzTargets: [String: @Sendable ([UInt8]) -> Void] = [
    "smtp-command": SMTPFuzzTargets.command,
    "smtp-data": SMTPFuzzTargets.data,
    "smtp-session": SMTPFuzzTargets.session,
    "imap-command": IMAPFuzzTargets.command,
    "http-request": HTTPFuzzTargets.request,
    "mime-parse": MessageFormatFuzz.parse,
    "mime-header-value": MessageFormatFuzz.parseHeaderValue,
    "sieve-script": SieveFuzzTargets.script,
    "managesieve-session": SieveFuzzTargets.manageSieveSession,
    "roster-csv": RosterFuzzTargets.roster,
    "config-yaml": ConfigFuzzTargets.config,
]
