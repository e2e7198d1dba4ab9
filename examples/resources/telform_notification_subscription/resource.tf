resource "telform_notification_subscription" "example" {
  account_id = telform_account.example.id
  event      = "low_balance"
  recipient  = "billing@acme.example"
  threshold  = 100
}
