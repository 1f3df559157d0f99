import ArgumentParser
import GovMailCLI

GovMailCommand.main()
