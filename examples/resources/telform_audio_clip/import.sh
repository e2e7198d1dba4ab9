# By the id telform assigned (the `id` attribute):
terraform import telform_audio_clip.example audio_clip_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the audio clip by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_audio_clip.example platform:acc-3/audio-clip-42
