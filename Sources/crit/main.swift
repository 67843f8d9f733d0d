import CritCLI
import Foundation

exit(Crit.run())
