resource "telform_account_playlist" "example" {
  account_id  = telform_account.example.id
  playlist_id = telform_playlist.example.id
}
