"""What the explorer's pages show, computed without Streamlit: tables, text, the network, the map."""
