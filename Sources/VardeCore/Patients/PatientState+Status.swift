/// The patient's colour, one rule for the nurse's view and the worklist's read model.
extension PatientState {
    /// Green without an active alert; otherwise the worst active alert's colour.
    public var status: PatientView.Status {
        activeAlertByRule.values.reduce(PatientView.Status.green) { worst, id in
            guard let severity = alerts[id]?.severity else { return worst }
            return max(worst, severity == .red ? .red : .yellow)
        }
    }
}
