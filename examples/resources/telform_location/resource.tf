resource "telform_location" "example" {
  account_id = telform_account.example.id
  name       = "Lyon office"
  e911_address = {
    line1       = "10 Rue de la Republique"
    city        = "Lyon"
    postal_code = "69002"
    country     = "FR"
  }
  emergency_notification_recipients = ["security@acme.example", "lyon-desk@acme.example"]
}
