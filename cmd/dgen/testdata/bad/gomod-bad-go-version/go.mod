module example.com/shop

go banana
