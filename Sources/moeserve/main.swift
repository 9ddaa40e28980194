print("moeserve")
