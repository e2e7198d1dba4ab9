# Console sign-ins and 2FA changes of the month, beside telform's own audit trail.
data "telform_platform_activity" "example" {
  account_id  = telform_account.example.id
  events      = ["user.login", "2fa.disable"]
  from        = "2026-11-01T00:00:00Z"
  max_entries = 500
}
