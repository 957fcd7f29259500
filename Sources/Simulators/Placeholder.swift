// The simulators arrive with the sync engine.
