data "telform_seat_usage" "example" {
  account_id = telform_account.example.id
}
