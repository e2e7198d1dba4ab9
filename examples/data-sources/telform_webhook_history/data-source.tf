data "telform_webhook_history" "example" {
  account_id = telform_account.example.id
}
