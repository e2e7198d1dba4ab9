# Correct drift in the account and everything under it, but leave the billing address and the
# logo to the customer's own admins.
resource "telform_drift_policy" "example" {
  target_id             = telform_account.example.id
  mode                  = "correct"
  ignore_fields         = ["billing_address", "logo"]
  scan_interval_seconds = 900
}
