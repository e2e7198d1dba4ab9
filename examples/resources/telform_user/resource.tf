resource "telform_user" "example" {
  account_id   = telform_account.example.id
  name         = "Alice Martin"
  login        = "alice"
  email        = "alice@acme.example"
  display_name = "Alice"
  privileges = {
    manual_dial = true
    transfer    = true
  }
  tabs = {
    home = true
  }
  connection_method = {
    type      = "sip_phone"
    extension = "1001"
  }
  incoming_calls = {
    mode               = "enabled"
    user_can_configure = false
  }
  outgoing_calls = {
    mode               = "enabled"
    call_method        = "webphone"
    user_can_configure = true
  }
}
