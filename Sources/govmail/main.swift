import GovMailCLI

GovMailCommand.main()
