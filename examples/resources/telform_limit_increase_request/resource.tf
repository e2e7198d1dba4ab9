resource "telform_limit_increase_request" "example" {
  account_id = telform_account.example.id
  limit      = "max_users"
  requested  = 250
  reason     = "Black Friday: 120 seasonal agents join in November."
}
