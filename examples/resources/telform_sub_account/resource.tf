resource "telform_sub_account" "example" {
  account_id = telform_account.example.id
  name       = "Acme Support - Lyon"
  email      = "lyon@acme.example"
  enabled    = true
  seat_limit = 25
  time_zone  = "Europe/Paris"
}
