import CritCLI
import Foundation

Crit.relaunchWithVectorisedBLASIfNeeded()
exit(Crit.run())
