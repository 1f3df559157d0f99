import NetServer

/// Runs a login for any protocol driver: the cheap step on the directory pool, then, only when
/// needed, the password hash on the bounded hashing pool, refusing for now when too many logins
/// already wait there. `then` runs on the connection's queue with the outcome; holding the reply
/// for `outcome.replyAfter` stays with the driver (a timer, never a sleep).
enum LoginWork {
    static func run(
        _ request: LoginRequest, _ authenticator: Authenticator, _ workers: WorkerPools,
        then finish: @escaping (LoginOutcome) -> [ConnectionAction]
    ) -> ConnectionAction {
        let then = { (outcome: LoginOutcome) -> [ConnectionAction] in
            ServerMetrics.shared.login(protocol: request.protocolName, result: outcome.result)
            return finish(outcome)
        }
        return .run(
            BlockingWork(
                on: workers.directory, { authenticator.begin(request) },
                then: { step in
                    switch step {
                    case .finished(let outcome):
                        return then(outcome)
                    case .needsVerification(let startedAt):
                        // Checked on the connection's queue at submission: the cap holds up to the few
                        // logins that pass this check at the same instant.
                        if workers.auth.load.waiting >= workers.maxPendingVerifications {
                            return then(authenticator.refuseBusy(request))
                        }
                        return [
                            .run(
                                BlockingWork(
                                    on: workers.auth, { authenticator.verify(request, startedAt: startedAt) },
                                    then: then))
                        ]
                    }
                }))
    }
}
