"""Files customers and staff attach to messages, and voice notes with their transcripts."""
