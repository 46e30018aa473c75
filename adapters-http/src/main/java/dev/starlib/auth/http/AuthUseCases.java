package dev.starlib.auth.http;

import dev.starlib.auth.application.CompleteLogin;
import dev.starlib.auth.application.LookUpLogin;
import dev.starlib.auth.application.PickUpLogin;
import dev.starlib.auth.application.RefreshTokens;
import dev.starlib.auth.application.SignOut;
import dev.starlib.auth.application.StartLogin;

import java.util.Objects;

/** The use cases behind the public API, wired by bootstrap. */
public record AuthUseCases(StartLogin startLogin, CompleteLogin completeLogin, PickUpLogin pickUpLogin,
                           RefreshTokens refreshTokens, SignOut signOut, LookUpLogin lookUpLogin) {

    public AuthUseCases {
        Objects.requireNonNull(startLogin, "startLogin");
        Objects.requireNonNull(completeLogin, "completeLogin");
        Objects.requireNonNull(pickUpLogin, "pickUpLogin");
        Objects.requireNonNull(refreshTokens, "refreshTokens");
        Objects.requireNonNull(signOut, "signOut");
        Objects.requireNonNull(lookUpLogin, "lookUpLogin");
    }
}
