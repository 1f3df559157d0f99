import AccountStore
import Credentials
import GovMailTestSupport
import MailCore
import MaildirStore
import Provisioning
import XCTest

class ProvisioningTestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var store: AccountStore!
    var provisioner: Provisioner!
    var clock: ManualClock!

    override func setUpWithError() throws {
        dir = TemporaryDirectory()
        clock = ManualClock()
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        provisioner = Provisioner(
            store: store, layout: MaildirLayout(stateDir: dir.path),
            hasher: PasswordHasher(scrypt: ScryptParameters(logN: 10, r: 8, p: 1)),
            policy: PasswordPolicy(minLength: 10), defaultQuota: 1 << 30)
        try store.addDomain(Domain("tinh.gov.vn"))
        try store.addUnit(code: "SO-NV", name: "Sở Nội vụ", level: .province)
        try store.addUnit(code: "H-A", name: "UBND huyện A", level: .district, parentCode: "SO-NV")
    }

    func address(_ s: String) -> EmailAddress { try! EmailAddress(s) }
}
