import Foundation

extension ProjectionPage {
    /// Takes in the row changes of the page that follows this one, so that
    /// writing `statements` once leaves the tables as writing both pages'
    /// statements in order would. Used by the bulk load, which writes every
    /// page's readings and feed entries at once (COPY, `copy`) but the rows
    /// that later pages change (a patient's row changes on almost every page)
    /// only once, at the end. Readings and feed entries are not taken in.
    mutating func absorb(_ later: ProjectionPage) {
        teams += later.teams
        gateways.merge(later.gateways) { $1 }
        for (gateway, assigned) in later.gatewayTeams {
            if gateways[gateway] != nil {
                gateways[gateway]!.teams = assigned.teams
                gateways[gateway]!.position = assigned.position
            } else {
                gatewayTeams[gateway] = assigned
            }
        }
        keys.merge(later.keys) { $1 }
        for (key, revocation) in later.revoked {
            if keys[key] != nil {
                keys[key]!.revoked_at = revocation.at
                keys[key]!.position = revocation.position
            } else {
                revoked[key] = revocation
            }
        }
        patients.merge(later.patients) { $1 }
        if !later.rebindPatients.isEmpty {
            // A patient's bindings are written whole: the later set replaces the earlier.
            bindings.removeAll { later.rebindPatients[$0.patient_id] != nil }
            bindings += later.bindings
            rebindPatients.merge(later.rebindPatients) { $1 }
        }
        // A reading is voided once, after it was recorded: the void of a reading
        // of an earlier page is an update, applied after all readings are in.
        voided.merge(later.voided) { $1 }
        alerts.merge(later.alerts) { $1 }
    }
}
