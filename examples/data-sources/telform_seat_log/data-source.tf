data "telform_seat_log" "example" {
  account_id = telform_account.example.id
}
