module torchsample

go 1.19
