"""The codebook: code tree operations and codebook files."""
